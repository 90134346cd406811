/**
 * The setup every operator cluster test repeats, once: the shared test cluster, the apps.3scale.net CRDs, an
 * admin client, a fresh namespace, optionally the operator process (under its own RBAC) watching it; the
 * operator's log tail printed when a test fails; everything stopped/deleted after the suite.
 * Call it inside `describe`; the returned object's fields are filled in by its `before` hook.
 */
import type { Cluster } from '../cluster/harness.js';
import { clusterStartTimeoutMs, useCluster } from '../cluster/shared.js';
import { createNamespace, deleteNamespace } from '../cluster/namespaces.js';
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import { adminClient, installOperatorCrds, operatorCredentials, startOperator, type RunningOperator } from './fixture.js';

export interface OperatorSuite {
  cluster: Cluster;
  admin: KubeClient;
  namespace: string;
  /** Set when `start` is not false, or by the test through `start()`. */
  operator: RunningOperator | undefined;
  /** Starts the operator watching the suite's namespace (for tests that prepare objects first). */
  start(): Promise<RunningOperator>;
}

export interface SuiteOptions {
  /** Namespace name prefix. */
  prefix: string;
  flavour?: 'openshift' | 'kubernetes';
  /** Start the operator in `before` (default true). */
  start?: boolean;
  /** Operator log lines printed for a failed test. */
  logLines?: number;
  /** Runs after the namespace exists and before the operator starts (e.g. extra processes). */
  prepare?: (suite: OperatorSuite) => Promise<void>;
  /** Extra environment of the operator process (THREESCALE_RESYNC_INTERVAL, ...). */
  env?: NodeJS.ProcessEnv;
  /** Runs in `after`, before the namespace is deleted. */
  cleanup?: () => Promise<void>;
}

export function operatorSuite(options: SuiteOptions): OperatorSuite {
  const suite = { operator: undefined } as OperatorSuite;
  suite.start = async () => {
    suite.operator = await startOperator({
      kubeconfigPath: await operatorCredentials(suite.cluster, suite.namespace),
      watchNamespace: suite.namespace,
      leaseNamespace: suite.namespace,
      ...(options.flavour ? { flavour: options.flavour } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
    return suite.operator;
  };
  before(async function () {
    this.timeout(clusterStartTimeoutMs);
    suite.cluster = await useCluster();
    await installOperatorCrds(suite.cluster);
    suite.admin = await adminClient(suite.cluster);
    suite.namespace = await createNamespace(suite.cluster.kubeConfig(), options.prefix);
    await options.prepare?.(suite);
    if (options.start !== false) await suite.start();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed')
      console.log(
        suite.operator?.process
          .logs()
          .split('\n')
          .slice(-(options.logLines ?? 40))
          .join('\n'),
      );
  });
  after(async function () {
    this.timeout(120_000);
    await suite.operator?.stop();
    await options.cleanup?.();
    if (suite.namespace) await deleteNamespace(suite.cluster.kubeConfig(), suite.namespace);
    // Unset when the suite's before() failed before connecting.
    await (suite.admin as KubeClient | undefined)?.close();
  });
  return suite;
}
