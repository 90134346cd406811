/**
 * The operator under test as a real separate process (`node bin/threescale-operator.js run`), authenticated as
 * the ServiceAccount of manifests/deploy through a TokenRequest token, so a missing RBAC rule fails the test.
 * Plus helpers to read the operator's metrics and to play the router, zync, the DC and Job controllers (saying so;
 * pods are run by the test cluster's real scheduler and kwok).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { request } from 'undici';
import { startProcess, type ManagedProcess } from '../support/process.js';
import { freePort } from '../support/ports.js';
import type { Cluster } from '../cluster/harness.js';
import { eventually } from '../cluster/harness.js';
import { installCrds } from '../cluster/crds.js';
import { applyObjects, readManifests } from '../cluster/apply.js';
import { tokenFor } from '../cluster/tokens.js';
import { admitRoute, createZyncRoutes, markDeploymentConfigAvailable } from '../cluster/openshift-stand-ins.js';
import { CRD_FILES, crdYaml } from '../../operator/src/api/crds.js';
import { SERVICE_ACCOUNT } from '../../operator/src/deploy/manifests.js';
import { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { isConflict } from '../../operator/src/controller/kube/errors.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const operatorBin = join(repoRoot, 'bin/threescale-operator.js');
export { eventually };

let crdsInstalled: Promise<void> | undefined;

/** Installs apps.3scale.net CRDs once per run (cluster-scoped). */
export function installOperatorCrds(cluster: Cluster): Promise<void> {
  crdsInstalled ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'op-crds-'));
    const paths: string[] = [];
    for (const [file, crd] of Object.entries(CRD_FILES)) {
      const path = join(dir, file);
      await writeFile(path, crdYaml(crd));
      paths.push(path);
    }
    await installCrds(cluster.kubeConfig(), paths);
  })();
  return crdsInstalled;
}

export async function adminClient(cluster: Cluster): Promise<KubeClient> {
  return KubeClient.fromKubeConfig(cluster.kubeConfig());
}

/**
 * Installs the files of manifests/deploy/<variant> (ServiceAccount, Role or ClusterRole, bindings) in
 * `namespace`, plus Role/RoleBinding copies in `extraNamespaces` (a multi-namespace install), and returns a
 * kubeconfig file path holding a TokenRequest token of the operator's ServiceAccount.
 */
export async function operatorCredentials(
  cluster: Cluster,
  namespace: string,
  options: { scope?: 'namespaced' | 'cluster'; extraNamespaces?: string[] } = {},
): Promise<string> {
  const dir = join(repoRoot, 'manifests/deploy', options.scope === 'cluster' ? 'cluster-wide' : 'namespaced');
  const objects = (await readManifests(['service_account.yaml', 'role.yaml', 'role_binding.yaml'].map((f) => join(dir, f)))).map((o) => {
    const copy = structuredClone<KubernetesObject & { subjects?: { namespace?: string }[] }>(o);
    // The cluster-wide binding names the install namespace (kubectl users edit it; the test fills it).
    if (copy.kind === 'ClusterRoleBinding' && copy.subjects) copy.subjects = copy.subjects.map((s) => ({ ...s, namespace }));
    return copy;
  });
  await applyObjects(cluster.kubeConfig(), objects, namespace);
  for (const extra of options.extraNamespaces ?? []) {
    const rbac = objects
      .filter((o) => o.kind === 'Role' || o.kind === 'RoleBinding')
      .map((o) => {
        const copy = structuredClone<KubernetesObject & { subjects?: { namespace?: string }[] }>(o);
        if (copy.subjects) copy.subjects = copy.subjects.map((s) => ({ ...s, namespace }));
        return copy;
      });
    await applyObjects(cluster.kubeConfig(), rbac, extra);
  }
  return (await tokenFor(cluster, namespace, SERVICE_ACCOUNT)).kubeconfigPath;
}

export interface RunningOperator {
  process: ManagedProcess;
  healthPort: number;
  metrics(): Promise<string>;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** API writes so far, excluding the leader lease renewals. */
  writes(): Promise<number>;
  stop(): Promise<void>;
}

export async function startOperator(options: {
  kubeconfigPath: string;
  watchNamespace: string;
  leaseNamespace: string;
  flavour?: string;
  env?: NodeJS.ProcessEnv;
  name?: string;
  noLeaderElect?: boolean;
}): Promise<RunningOperator> {
  const healthPort = await freePort();
  const args = [operatorBin, 'run', '--health-port', String(healthPort), '--health-bind', '127.0.0.1'];
  if (options.flavour) args.push('--flavour', options.flavour);
  if (options.noLeaderElect) args.push('--no-leader-elect');
  const proc = await startProcess({
    name: options.name ?? `operator:${healthPort}`,
    command: process.execPath,
    args,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KUBECONFIG: options.kubeconfigPath,
      WATCH_NAMESPACE: options.watchNamespace,
      OPERATOR_NAMESPACE: options.leaseNamespace,
      POD_NAME: options.name ?? `operator-${healthPort}`,
      LOG_LEVEL: process.env.OPERATOR_LOG_LEVEL ?? 'info',
      ...options.env,
    },
    ready: async () => (await getText(`http://127.0.0.1:${healthPort}/readyz`)).status === 200,
    readyTimeoutMs: 30_000,
  });
  const metrics = async () => (await getText(`http://127.0.0.1:${healthPort}/metrics`)).body;
  const metric = async (name: string, labels: Record<string, string> = {}) => sumMetric(await metrics(), name, labels);
  return {
    process: proc,
    healthPort,
    metrics,
    metric,
    writes: async () => {
      const text = await metrics();
      return (
        sumMetric(text, 'threescale_operator_api_writes_total', {}) -
        sumMetric(text, 'threescale_operator_api_writes_total', { kind: 'Lease' })
      );
    },
    stop: () => proc.stop(),
  };
}

async function getText(url: string): Promise<{ status: number; body: string }> {
  try {
    const response = await request(url);
    return { status: response.statusCode, body: await response.body.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

/** Sums the samples of a Prometheus metric whose labels include `labels`. */
export function sumMetric(text: string, name: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    // The label group is optional: a sample without labels has none (`at` says so in its type).
    const found = Object.fromEntries([...(match.at(3) ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) total += Number(match[4]);
  }
  return total;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

/** The condition of that type in the object's `status.conditions` (as the API server answered it), if any. */
export function condition(cr: KubeObject | undefined, type: string): Condition | undefined {
  const status = cr?.status;
  if (typeof status !== 'object' || status === null || !('conditions' in status) || !Array.isArray(status.conditions)) return undefined;
  return (status.conditions as Condition[]).find((c) => c.type === type);
}

/**
 * Plays the parts the test cluster lacks for an APIManager on OpenShift, through the named stand-ins of
 * test/cluster/openshift-stand-ins.ts: the DeploymentConfig controller (every DC's latest version rolled out and
 * available) and zync-que plus the router (the five portal/gateway Routes created and, with the operator's
 * backend Route, admitted). Pods of Deployments need nothing here: kube-scheduler and kwok run them. Returns
 * what it simulated.
 */
export async function simulateOpenShiftReadiness(
  cluster: Cluster,
  client: KubeClient,
  namespace: string,
  tenant = '3scale',
  domain = 'example.test',
): Promise<string[]> {
  const kc = cluster.kubeConfig();
  const simulated: string[] = [];
  for (const dc of (await client.list<KubeObject>('apps.openshift.io/v1', 'DeploymentConfig', namespace)).items) {
    await markDeploymentConfigAvailable(kc, namespace, dc.metadata.name);
    simulated.push(`DeploymentConfig/${dc.metadata.name} status (DC controller + kubelet)`);
  }
  simulated.push(...(await createZyncRoutes(kc, namespace, tenant, domain)).map((name) => `Route/${name} (zync-que)`));
  for (const route of (await client.list<KubeObject>('route.openshift.io/v1', 'Route', namespace)).items) {
    await admitRoute(kc, namespace, route.metadata.name);
    simulated.push(`Route/${route.metadata.name} admitted (router)`);
  }
  return simulated;
}

export function adminKubeConfig(cluster: Cluster): KubeConfig {
  return cluster.kubeConfig();
}

/**
 * Edits a custom resource the way `kubectl edit` users do: read, change, PUT with the read resourceVersion,
 * and on 409 (the operator wrote status or an annotation in between) read again and re-apply the change.
 */
export async function editObject<T extends KubeObject>(
  admin: KubeClient,
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
  change: (object: T) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const object = await admin.get<T>(apiVersion, kind, namespace, name);
    change(object);
    try {
      return await admin.update(object);
    } catch (error) {
      if (!isConflict(error) || attempt >= 10) throw error;
    }
  }
}

/**
 * Waits until the operator stops writing, then triggers one reconcile pass with a metadata-only edit of the CR
 * (nothing it reconciles changes) and returns the writes that pass made, with the write-counter lines that moved.
 */
export async function writesOfNoOpPass(
  admin: KubeClient,
  operator: RunningOperator,
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
): Promise<{ writes: number; changed: string[] }> {
  let before = await operator.writes();
  await eventually(
    'no write for 3 s',
    async () => {
      const now = await operator.writes();
      const quiet = now === before;
      before = now;
      return quiet;
    },
    45_000,
    3000,
  );
  const passesBefore = await operator.metric('threescale_operator_reconcile_total', { kind });
  const writeLines = async () =>
    (await operator.metrics()).split('\n').filter((l) => l.startsWith('threescale_operator_api_writes_total{'));
  const linesBefore = await writeLines();
  await editObject(admin, apiVersion, kind, namespace, name, (cr) => {
    cr.metadata.annotations = { ...cr.metadata.annotations, 'example.test/touched': String(Date.now()) };
  });
  await eventually(
    'a reconcile pass ran',
    async () => (await operator.metric('threescale_operator_reconcile_total', { kind })) > passesBefore,
    20_000,
    200,
  );
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return { writes: (await operator.writes()) - before, changed: (await writeLines()).filter((l) => !linesBefore.includes(l)) };
}

/** Simulated Job controller + kubelet: writes the status of a Job whose pod succeeded. */
export async function completeJob(admin: KubeClient, namespace: string, name: string): Promise<void> {
  const now = new Date().toISOString();
  await admin.mergePatch(
    'batch/v1',
    'Job',
    namespace,
    name,
    {
      status: {
        startTime: now,
        completionTime: now,
        succeeded: 1,
        conditions: [
          { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: now, lastTransitionTime: now },
          { type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now },
        ],
      },
    },
    'status',
  );
}
