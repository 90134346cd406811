/**
 * The operator reconciling an APIManager on the real test cluster, as a separate process under its own RBAC.
 * Statuses the cluster cannot produce (no DC controller, no router, no zync-que) are written by the test through
 * the stand-ins of test/cluster/openshift-stand-ins.ts, and every such step says so. Pod statuses are never
 * written by a test: kube-scheduler and kwok run the pods (this OpenShift-flavour install has none: DCs).
 */
import assert from 'node:assert/strict';
import type { Cluster } from '../cluster/harness.js';
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { renderDocument } from '../../operator/src/render/render.js';
import { condition, editObject, eventually, simulateOpenShiftReadiness, writesOfNoOpPass, type RunningOperator } from './fixture.js';
import { operatorSuite } from './suite.js';

const APIM = 'apps.3scale.net/v1alpha1';
const DC = 'apps.openshift.io/v1';

describe('operator: APIManager on the test cluster (openshift flavour)', function () {
  this.timeout(120_000);
  const suite = operatorSuite({ prefix: 'apim', logLines: 120 });
  let cluster: Cluster;
  let admin: KubeClient;
  let namespace: string;
  let operator: RunningOperator;
  before(() => {
    ({ cluster, admin, namespace } = suite);
    operator = suite.operator!;
  });

  const get = (apiVersion: string, kind: string, name: string) => admin.get<KubeObject>(apiVersion, kind, namespace, name);
  const apim = () => get(APIM, 'APIManager', 'example');
  const expected = () => {
    const outcome = renderDocument(
      { apiVersion: APIM, kind: 'APIManager', metadata: { name: 'example' }, spec: { wildcardDomain: 'example.test' } },
      { flavour: 'openshift', env: {} },
    );
    assert.ok(outcome.ok);
    return outcome.result.objects.map((d) => d.object);
  };

  it('creates every object render lists, with owner references except on PVCs, and reports Available only once workloads and routes are ready', async () => {
    await admin.create({
      apiVersion: APIM,
      kind: 'APIManager',
      metadata: { name: 'example', namespace },
      spec: { wildcardDomain: 'example.test' },
    });
    const cr = await apim();
    const wanted = expected();
    assert.ok(wanted.length > 50, `render lists ${wanted.length} objects`);
    await eventually(
      'every rendered object exists',
      async () => {
        for (const object of wanted) {
          try {
            await get(object.apiVersion, object.kind, object.metadata.name);
          } catch {
            return false;
          }
        }
        return true;
      },
      60_000,
      500,
    );
    for (const object of wanted) {
      const live = await get(object.apiVersion, object.kind, object.metadata.name);
      const refs = live.metadata.ownerReferences ?? [];
      if (object.kind === 'PersistentVolumeClaim') assert.deepEqual(refs, [], `${object.kind}/${object.metadata.name} must have no owner`);
      else
        assert.ok(
          refs.some((r) => r.uid === cr.metadata.uid && r.controller === true),
          `${object.kind}/${object.metadata.name} owned by the APIManager`,
        );
    }
    await eventually(
      'one Created Event per object, on the APIManager',
      async () => {
        const events = (await admin.list<KubeObject & { reason?: string; involvedObject?: { uid?: string } }>('v1', 'Event', namespace))
          .items;
        return events.filter((e) => e.reason === 'Created' && e.involvedObject?.uid === cr.metadata.uid).length >= wanted.length;
      },
      20_000,
      300,
    );
    await eventually(
      'status written with Available=False',
      async () => {
        const current = await apim();
        const available = condition(current, 'Available');
        return (
          available?.status === 'False' && (current.status as { observedGeneration?: number }).observedGeneration === cr.metadata.generation
        );
      },
      30_000,
      300,
    );
    assert.match(condition(await apim(), 'Available')!.message ?? '', /system-app/);
    assert.equal(condition(await apim(), 'DeploymentsAvailable')?.status, 'False');
    assert.match(condition(await apim(), 'DeploymentsAvailable')?.message ?? '', /system-app/);
    assert.equal(condition(await apim(), 'RoutesReady')?.status, 'False');

    // Simulated: DC controller + kubelet roll out every DC, zync-que creates the five routes, the router admits all six.
    const simulated = await simulateOpenShiftReadiness(cluster, admin, namespace);
    assert.ok(simulated.length > 10);
    await eventually('Available=True', async () => condition(await apim(), 'Available')?.status === 'True', 45_000, 300);
    const status = (await apim()).status as { deployments?: { ready?: string[] } };
    assert.ok(status.deployments?.ready?.includes('system-app') && status.deployments.ready.includes('apicast-production'));
    assert.equal(condition(await apim(), 'Progressing')?.status, 'False');
    assert.equal(condition(await apim(), 'Degraded')?.status, 'False');
    for (const type of ['DeploymentsAvailable', 'RoutesReady', 'SecretsAvailable'])
      assert.equal(condition(await apim(), type)?.status, 'True', type);
    assert.equal(condition(await apim(), 'Warning')?.status, 'False');
    // Kubernetes API conventions: every condition says which generation of the spec it describes.
    const conditions = ((await apim()).status as { conditions: { type: string; observedGeneration?: number }[] }).conditions;
    assert.ok(conditions.length >= 3);
    for (const c of conditions) assert.equal(c.observedGeneration, cr.metadata.generation, `${c.type}.observedGeneration`);
  });

  it('makes zero API writes when reconciling an unchanged CR', async () => {
    await eventually('quiet', async () => condition(await apim(), 'Available')?.status === 'True', 30_000, 300);
    // A metadata-only edit of the CR triggers a pass without changing anything the operator reconciles.
    const noOp = await writesOfNoOpPass(admin, operator, APIM, 'APIManager', namespace, 'example');
    assert.equal(noOp.writes, 0, `the pass over an unchanged CR must not write; changed: ${noOp.changed.join(', ')}`);
  });

  it('a second APIManager in the namespace writes nothing the first controls, and says whose objects they are', async () => {
    await eventually('first is Available', async () => condition(await apim(), 'Available')?.status === 'True', 30_000, 300);
    const first = await apim();
    const sample = ['apicast-production', 'backend-listener', 'system-app'];
    const before = await Promise.all(sample.map((name) => get(DC, 'DeploymentConfig', name)));
    const seedBefore = await get('v1', 'Secret', 'system-seed');
    await admin.create({
      apiVersion: APIM,
      kind: 'APIManager',
      metadata: { name: 'second', namespace },
      spec: { wildcardDomain: 'other.test', apicast: { productionSpec: { replicas: 3 } }, backend: { listenerSpec: { replicas: 2 } } },
    });
    try {
      const second = () => get(APIM, 'APIManager', 'second');
      await eventually(
        'the second reports the conflict',
        async () => condition(await second(), 'Degraded')?.reason === 'OwnershipConflict',
        30_000,
        300,
      );
      const degraded = condition(await second(), 'Degraded')!;
      assert.equal(degraded.status, 'True');
      assert.match(degraded.message ?? '', /^nothing written: \d+ objects are controlled by APIManager\/example \(DeploymentConfig\//);
      assert.match(degraded.message ?? '', /DeploymentConfig\/apicast-production/);
      assert.equal(condition(await second(), 'Available')?.status, 'False');
      await new Promise((resolve) => setTimeout(resolve, 2000)); // give a wrong write time to happen
      const after = await Promise.all(sample.map((name) => get(DC, 'DeploymentConfig', name)));
      for (const [i, dc] of after.entries()) {
        assert.equal(dc.metadata.resourceVersion, before[i].metadata.resourceVersion, `${sample[i]} untouched`);
        assert.deepEqual(
          dc.metadata.ownerReferences?.map((r) => r.uid),
          [first.metadata.uid],
          `${sample[i]} keeps its one owner`,
        );
      }
      assert.equal((await get('v1', 'Secret', 'system-seed')).metadata.resourceVersion, seedBefore.metadata.resourceVersion);
      const uid = (await second()).metadata.uid;
      const claimed: string[] = [];
      for (const object of expected()) {
        try {
          const live = await get(object.apiVersion, object.kind, object.metadata.name);
          if ((live.metadata.ownerReferences ?? []).some((r) => r.uid === uid)) claimed.push(`${object.kind}/${object.metadata.name}`);
        } catch {
          /* absent: fine */
        }
      }
      assert.deepEqual(claimed, [], 'the second APIManager created or adopted nothing');
      assert.equal(condition(await apim(), 'Available')?.status, 'True', 'the first keeps running as it was');
    } finally {
      await admin.delete(APIM, 'APIManager', namespace, 'second');
    }
  });

  it('puts back a manual change to a field it owns and keeps a change to a field it does not own', async () => {
    const dc = await get(DC, 'DeploymentConfig', 'backend-listener');
    const spec = dc.spec as { replicas: number; template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } };
    spec.replicas = 3;
    spec.template.spec.containers[0].env = [...(spec.template.spec.containers[0].env ?? []), { name: 'USER_ADDED', value: 'kept' }];
    dc.metadata.labels = { ...dc.metadata.labels, 'example.test/team': 'payments' };
    await admin.update(dc);
    await eventually(
      'replicas put back to 1',
      async () => ((await get(DC, 'DeploymentConfig', 'backend-listener')).spec as { replicas: number }).replicas === 1,
      20_000,
      200,
    );
    const after = await get(DC, 'DeploymentConfig', 'backend-listener');
    const env = (after.spec as typeof spec).template.spec.containers[0].env ?? [];
    assert.ok(
      env.some((e) => e.name === 'USER_ADDED' && e.value === 'kept'),
      'env is not reconciled: the user entry stays',
    );
    assert.equal(after.metadata.labels?.['example.test/team'], 'payments');
  });

  it('re-creates an owned object a user deleted, and keeps every key of an operator-created secret', async () => {
    await admin.delete('v1', 'Service', namespace, 'system-master');
    await eventually(
      'Service system-master re-created',
      async () => {
        try {
          return (await get('v1', 'Service', 'system-master')).metadata.deletionTimestamp === undefined;
        } catch {
          return false;
        }
      },
      20_000,
      200,
    );
    const seed = await get('v1', 'Secret', 'system-seed');
    const data = seed.data as Record<string, string>;
    const original = { ...data };
    seed.data = { ...data, EXTRA_USER_KEY: Buffer.from('mine').toString('base64') };
    await admin.update(seed);
    // Another pass (CR touched) must not remove the foreign key nor change existing values.
    await editObject(admin, APIM, 'APIManager', namespace, 'example', (cr) => {
      cr.metadata.annotations = { ...cr.metadata.annotations, 'example.test/touched': `again-${Date.now()}` };
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const after = (await get('v1', 'Secret', 'system-seed')).data as Record<string, string>;
    assert.equal(Buffer.from(after.EXTRA_USER_KEY, 'base64').toString(), 'mine');
    for (const [key, value] of Object.entries(original)) assert.equal(after[key], value, `key ${key} unchanged`);
  });

  it('reports a schema-valid but inconsistent spec as a condition naming the field, and touches nothing running', async () => {
    const before = await get(DC, 'DeploymentConfig', 'system-app');
    const edited = await editObject(admin, APIM, 'APIManager', namespace, 'example', (cr) => {
      (cr.spec as Record<string, unknown>).system = { database: { mysql: {}, postgresql: {} } };
    });
    await eventually(
      'Degraded InvalidSpec',
      async () => {
        const degraded = condition(await apim(), 'Degraded');
        return degraded?.status === 'True' && degraded.reason === 'InvalidSpec';
      },
      20_000,
      200,
    );
    assert.equal(
      condition(await apim(), 'Degraded')!.observedGeneration,
      edited.metadata.generation,
      'the condition names the edited generation',
    );
    assert.match(condition(await apim(), 'Degraded')!.message!, /spec\.system\.database: Only one System Database/);
    const after = await get(DC, 'DeploymentConfig', 'system-app');
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion, 'running workloads untouched');
    // Fixing the spec clears the condition.
    const fixed = await apim();
    delete (fixed.spec as Record<string, unknown>).system;
    await admin.update(fixed);
    await eventually('Degraded False', async () => condition(await apim(), 'Degraded')?.status === 'False', 20_000, 200);
  });

  it('leaves PVCs behind when the APIManager is deleted; the garbage collector removes the rest', async () => {
    await admin.delete(APIM, 'APIManager', namespace, 'example');
    await eventually(
      'DCs garbage-collected',
      async () => (await admin.list(DC, 'DeploymentConfig', namespace)).items.length === 0,
      90_000,
      1000,
    );
    const pvcs = (await admin.list<KubeObject>('v1', 'PersistentVolumeClaim', namespace)).items.map((p) => p.metadata.name).sort();
    assert.deepEqual(pvcs, ['backend-redis-storage', 'mysql-storage', 'system-redis-storage', 'system-storage']);
  });
});
