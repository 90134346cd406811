/**
 * Adoption of an installation reconciled by a previous operator version (operator.md §5): the CR carries the old
 * version annotations and the objects carry its owner references but not our Redis marker. The new operator must
 * keep every object (same UIDs, nothing recreated), stamp the CR with its version, and roll the Redis consumers
 * once, in order, only through the marker.
 */
import assert from 'node:assert/strict';
import type { Cluster } from '../cluster/harness.js';
import { clusterStartTimeoutMs, useCluster } from '../cluster/shared.js';
import { createNamespace, deleteNamespace } from '../cluster/namespaces.js';
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { renderDocument } from '../../operator/src/render/render.js';
import { startRedis } from '../support/redis.js';
import { OPERATOR_VERSION } from '../../operator/src/api/defaults.js';
import { adminClient, eventually, installOperatorCrds, operatorCredentials, startOperator, type RunningOperator } from './fixture.js';

const APIM = 'apps.3scale.net/v1alpha1';
const MARKER = 'apps.3scale.net/redis-config-hash';

describe('operator: upgrade from a previous operator version', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  let admin: KubeClient;
  let namespace: string;
  let operator: RunningOperator | undefined;

  before(async function () {
    this.timeout(clusterStartTimeoutMs);
    cluster = await useCluster();
    await installOperatorCrds(cluster);
    admin = await adminClient(cluster);
    namespace = await createNamespace(cluster.kubeConfig(), 'upgrade');
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(operator?.process.logs().split('\n').slice(-40).join('\n'));
  });
  after(async () => {
    await operator?.stop();
    if (namespace) await deleteNamespace(cluster.kubeConfig(), namespace);
    await admin?.close();
  });

  it('adopts the objects without recreating any and rolls the Redis consumers only through the marker', async () => {
    const document = { apiVersion: APIM, kind: 'APIManager', metadata: { name: 'example' }, spec: { wildcardDomain: 'example.test' } };
    const cr = await admin.create<KubeObject>({ ...document, metadata: { name: 'example', namespace, annotations: { 'apps.3scale.net/threescale-operator-version': '0.5.0', 'apps.3scale.net/apimanager-threescale-version': '2.8' } } });
    const outcome = renderDocument(document, { flavour: 'openshift', env: {} });
    assert.ok(outcome.ok);
    const owner = { apiVersion: APIM, kind: 'APIManager', name: 'example', uid: cr.metadata.uid!, controller: true, blockOwnerDeletion: true };
    const uids = new Map<string, string>();
    // The previous installation's Redis is a real server the operator can validate (the in-cluster service
    // names would not resolve from the test machine).
    const redis = await startRedis();
    const redisValues: Record<string, Record<string, string>> = {
      'backend-redis': { REDIS_STORAGE_URL: `redis://127.0.0.1:${redis.port}/0`, REDIS_QUEUES_URL: `redis://127.0.0.1:${redis.port}/1` },
      'system-redis': { URL: `redis://127.0.0.1:${redis.port}/2` },
    };
    // What the previous operator left: the same objects with its owner reference, no Redis marker on pod templates.
    for (const { object, ownerReference } of outcome.result.objects) {
      const body = structuredClone(object) as KubeObject & { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } };
      body.metadata = { ...body.metadata, namespace, ...(ownerReference ? { ownerReferences: [owner] } : {}) };
      delete body.spec?.template?.metadata?.annotations?.[MARKER];
      if (body.kind === 'Secret' && redisValues[body.metadata.name]) body.stringData = { ...(body.stringData as Record<string, string>), ...redisValues[body.metadata.name] };
      const created = await admin.create(body);
      uids.set(`${object.kind}/${object.metadata.name}`, created.metadata.uid!);
    }
    operator = await startOperator({ kubeconfigPath: await operatorCredentials(cluster, namespace), watchNamespace: namespace, leaseNamespace: namespace });
    await eventually('CR stamped with our version', async () => (await admin.get<KubeObject>(APIM, 'APIManager', namespace, 'example')).metadata.annotations?.['apps.3scale.net/threescale-operator-version'] === OPERATOR_VERSION, 30_000, 300);
    await eventually('first consumer rolled through the marker', async () => {
      const dc = await admin.get<KubeObject & { spec: { template: { metadata?: { annotations?: Record<string, string> } } } }>('apps.openshift.io/v1', 'DeploymentConfig', namespace, 'backend-listener');
      return dc.spec.template.metadata?.annotations?.[MARKER] !== undefined;
    }, 30_000, 300);
    for (const [key, uid] of uids) {
      const [kind, name] = key.split('/') as [string, string];
      const object: KubeObject = outcome.result.objects.find((d) => d.object.kind === kind && d.object.metadata.name === name)!.object;
      const live: KubeObject = await admin.get<KubeObject>(object.apiVersion, kind, namespace, name);
      assert.equal(live.metadata.uid, uid, `${key} kept, not recreated`);
    }
    const worker = await admin.get<KubeObject & { spec: { template: { metadata?: { annotations?: Record<string, string> } } } }>('apps.openshift.io/v1', 'DeploymentConfig', namespace, 'backend-worker');
    assert.equal(worker.spec.template.metadata?.annotations?.[MARKER], undefined, 'the next consumer waits for the first rollout');
  });
});
