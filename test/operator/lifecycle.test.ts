/**
 * The operator process's life on the test cluster: leader election (two replicas never both write), graceful
 * SIGTERM, WATCH_NAMESPACE scopes, its RBAC boundary, conflicts and an API server restart in the middle of work.
 * Uses APIcast CRs (three objects each) to keep the cluster load low.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster } from '../cluster/harness.js';
import { clusterStartTimeoutMs, useCluster } from '../cluster/shared.js';
import { createNamespace, deleteNamespace } from '../cluster/namespaces.js';
import { KubeClient } from '../../operator/src/controller/kube/client.js';
import { isConflict, isForbidden } from '../../operator/src/controller/kube/errors.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import {
  adminClient,
  editObject,
  eventually,
  installOperatorCrds,
  operatorCredentials,
  startOperator,
  type RunningOperator,
} from './fixture.js';

const APIM = 'apps.3scale.net/v1alpha1';

describe('operator: process lifecycle, scope and RBAC', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  let admin: KubeClient;
  const namespaces: string[] = [];
  const operators: RunningOperator[] = [];

  before(async function () {
    this.timeout(clusterStartTimeoutMs);
    cluster = await useCluster();
    await installOperatorCrds(cluster);
    admin = await adminClient(cluster);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') for (const op of operators) console.log(op.process.logs().split('\n').slice(-30).join('\n'));
    await Promise.all(operators.splice(0).map((op) => op.stop()));
    await Promise.all(namespaces.splice(0).map((ns) => deleteNamespace(cluster.kubeConfig(), ns)));
  });
  after(async () => {
    // Unset when before() failed.
    await (admin as KubeClient | undefined)?.close();
  });

  const namespace = async (prefix: string) => {
    const ns = await createNamespace(cluster.kubeConfig(), prefix);
    namespaces.push(ns);
    return ns;
  };
  const apicast = async (ns: string, name: string, replicas = 1) => {
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${name}-config`, namespace: ns },
      stringData: { 'config.json': '{"services":[]}' },
    });
    await admin.create({
      apiVersion: APIM,
      kind: 'APIcast',
      metadata: { name, namespace: ns },
      spec: { replicas, embeddedConfigurationSecretRef: { name: `${name}-config` } },
    });
  };
  const deployment = async (ns: string, name: string) => {
    try {
      return await admin.get<KubeObject & { spec: { replicas: number } }>('apps/v1', 'Deployment', ns, `apicast-${name}`);
    } catch {
      return undefined;
    }
  };
  const run = async (options: Parameters<typeof startOperator>[0]) => {
    const op = await startOperator(options);
    operators.push(op);
    return op;
  };

  it('two replicas: only the lease holder writes; on SIGTERM it exits 0, hands the lease over and the other takes over at once', async () => {
    const ns = await namespace('leader');
    const kubeconfigPath = await operatorCredentials(cluster, ns);
    const first = await run({ kubeconfigPath, watchNamespace: ns, leaseNamespace: ns, name: 'replica-a' });
    await eventually('a leads', async () => (await first.metric('threescale_operator_leader')) === 1, 20_000, 200);
    const second = await run({ kubeconfigPath, watchNamespace: ns, leaseNamespace: ns, name: 'replica-b' });
    await apicast(ns, 'gw');
    await eventually('reconciled by the leader', async () => (await deployment(ns, 'gw')) !== undefined, 20_000, 200);
    assert.equal(await second.metric('threescale_operator_leader'), 0);
    assert.equal(await second.writes(), 0, 'the standby never writes');
    assert.ok((await first.writes()) > 0);

    const started = Date.now();
    first.process.signal('SIGTERM');
    await first.process.waitForExit();
    assert.equal(first.process.describeExit(), 'exited with code 0');
    await eventually('b leads', async () => (await second.metric('threescale_operator_leader')) === 1, 15_000, 200);
    assert.ok(Date.now() - started < 10_000, 'the released lease is taken well before it would expire');
    await editObject(admin, APIM, 'APIcast', ns, 'gw', (cr) => {
      (cr.spec as { replicas: number }).replicas = 2;
    });
    await eventually('the new leader reconciles', async () => (await deployment(ns, 'gw'))?.spec.replicas === 2, 20_000, 200);
  });

  it('WATCH_NAMESPACE with several namespaces reconciles those and nothing else', async () => {
    const home = await namespace('home');
    const [a, b, other] = [await namespace('watched-a'), await namespace('watched-b'), await namespace('unwatched')];
    const kubeconfigPath = await operatorCredentials(cluster, home, { extraNamespaces: [a, b] });
    await run({ kubeconfigPath, watchNamespace: `${a},${b}`, leaseNamespace: home });
    await apicast(a, 'gw');
    await apicast(b, 'gw');
    await apicast(other, 'gw');
    await eventually(
      'both watched namespaces reconciled',
      async () => (await deployment(a, 'gw')) !== undefined && (await deployment(b, 'gw')) !== undefined,
      20_000,
      200,
    );
    await sleep(1500);
    assert.equal(await deployment(other, 'gw'), undefined, 'an unwatched namespace is left alone');
  });

  it('cluster-wide install (ClusterRole, empty WATCH_NAMESPACE) reconciles any namespace', async () => {
    const home = await namespace('cw-home');
    const target = await namespace('cw-target');
    const kubeconfigPath = await operatorCredentials(cluster, home, { scope: 'cluster' });
    await run({ kubeconfigPath, watchNamespace: '', leaseNamespace: home });
    await apicast(target, 'gw');
    await eventually('reconciled', async () => (await deployment(target, 'gw')) !== undefined, 30_000, 200);
  });

  it('runs with least privilege: its token cannot delete PVCs or read secrets of a namespace it was not granted', async () => {
    const ns = await namespace('rbac');
    const elsewhere = await namespace('rbac-other');
    const kc = new KubeConfig();
    kc.loadFromFile(await operatorCredentials(cluster, ns));
    const asOperator = await KubeClient.fromKubeConfig(kc);
    try {
      await admin.create({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data', namespace: ns },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      });
      await assert.rejects(asOperator.delete('v1', 'PersistentVolumeClaim', ns, 'data'), (e: unknown) => isForbidden(e));
      await assert.rejects(asOperator.list('v1', 'Secret', elsewhere), (e: unknown) => isForbidden(e));
      assert.equal((await asOperator.list('v1', 'Secret', ns)).items.length >= 0, true);
    } finally {
      await asOperator.close();
    }
  });

  it('never overwrites a concurrent change: an update from a stale read is refused with 409 and the next pass uses fresh data', async () => {
    const ns = await namespace('conflict');
    const op = await run({ kubeconfigPath: await operatorCredentials(cluster, ns), watchNamespace: ns, leaseNamespace: ns });
    await apicast(ns, 'gw', 1);
    await eventually('deployment', async () => (await deployment(ns, 'gw')) !== undefined, 20_000, 200);
    const stale = (await deployment(ns, 'gw'))!;
    // The user's edit retries on 409 itself: the deployment controller writes the status of the real pods too.
    await editObject<KubeObject>(admin, 'apps/v1', 'Deployment', ns, 'apicast-gw', (d) => {
      d.metadata.labels = { ...d.metadata.labels, 'example.test/user': 'edit' };
    });
    stale.spec.replicas = 5;
    await assert.rejects(
      admin.update(stale),
      (e: unknown) => isConflict(e),
      'the update primitive the operator uses carries resourceVersion',
    );
    await editObject(admin, APIM, 'APIcast', ns, 'gw', (cr) => {
      (cr.spec as { replicas: number }).replicas = 3;
    });
    await eventually('replicas reconciled', async () => (await deployment(ns, 'gw'))?.spec.replicas === 3, 20_000, 200);
    assert.equal((await deployment(ns, 'gw'))?.metadata.labels?.['example.test/user'], 'edit', 'the concurrent user change survived');
    assert.equal(op.process.hasExited, false);
  });

  it('survives an API server restart in the middle of its work and converges afterwards', async () => {
    const ns = await namespace('restart');
    const op = await run({ kubeconfigPath: await operatorCredentials(cluster, ns), watchNamespace: ns, leaseNamespace: ns });
    await apicast(ns, 'one');
    await eventually('first reconciled', async () => (await deployment(ns, 'one')) !== undefined, 20_000, 200);
    // Restart kube-apiserver (etcd keeps the data); the operator's watches and requests fail meanwhile.
    // The operator writes this CR's status as its pod becomes Ready (kwok): the edit retries on 409.
    await editObject(admin, APIM, 'APIcast', ns, 'one', (cr) => {
      (cr.spec as { replicas: number }).replicas = 4;
    });
    await cluster.restartApiServer();
    await apicast(ns, 'two');
    await eventually(
      'converged after the restart',
      async () => (await deployment(ns, 'one'))?.spec.replicas === 4 && (await deployment(ns, 'two')) !== undefined,
      60_000,
      500,
    );
    assert.equal(op.process.hasExited, false, 'the operator kept running');
  });
});
