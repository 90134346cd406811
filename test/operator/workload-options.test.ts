/**
 * The 2.12+ workload options of an APIManager on the real test cluster (kubernetes flavour, so the API server
 * validates real Deployments and autoscaling/v2 HPAs): hpa, per-component scheduling knobs, imagePullSecrets and
 * PVC settings. kube-controller-manager runs no HPA controller here, so the test plays the autoscaler by scaling
 * a Deployment itself, and says so.
 */
import assert from 'node:assert/strict';
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { editObject, eventually, writesOfNoOpPass, type RunningOperator } from './fixture.js';
import { operatorSuite } from './suite.js';

const APIM = 'apps.3scale.net/v1alpha1';
const HPA = 'autoscaling/v2';
type Workload = KubeObject & {
  spec: {
    replicas: number;
    template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: Record<string, unknown> };
  };
};

const spread = [
  {
    maxSkew: 1,
    topologyKey: 'topology.kubernetes.io/zone',
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { app: '3scale-api-management' } },
  },
];

describe('operator: 2.12+ workload options on the test cluster (hpa, scheduling, pull secrets, PVCs)', function () {
  this.timeout(180_000);
  const suite = operatorSuite({ prefix: 'workload-opts', flavour: 'kubernetes' });
  let admin: KubeClient;
  let namespace: string;
  let operator: RunningOperator;
  before(() => {
    ({ admin, namespace } = suite);
    operator = suite.operator!;
  });

  const deployment = (name: string) => admin.get<Workload>('apps/v1', 'Deployment', namespace, name);
  const hpas = async () =>
    (await admin.list<KubeObject>(HPA, 'HorizontalPodAutoscaler', namespace)).items.map((h) => h.metadata.name).sort();

  it('creates the HPAs and the configured pods, pull secrets and claims', async () => {
    await admin.create({
      apiVersion: APIM,
      kind: 'APIManager',
      metadata: { name: 'example', namespace },
      spec: {
        wildcardDomain: 'example.test',
        imagePullSecrets: [{ name: 'quay-pull' }],
        apicast: {
          productionSpec: { hpa: true },
          stagingSpec: {
            priorityClassName: 'system-cluster-critical',
            topologySpreadConstraints: spread,
            labels: { team: 'edge' },
            annotations: { 'example.test/owner': 'edge' },
          },
        },
        backend: {
          listenerSpec: { hpa: true },
          redisPersistentVolumeClaim: { storageClassName: 'fast', volumeName: 'pv-backend-redis', resources: { requests: '3Gi' } },
        },
      },
    });
    await eventually('two HPAs', async () => (await hpas()).join() === 'apicast-production,backend-listener', 60_000, 500);
    const hpa = await admin.get<KubeObject & { spec: { scaleTargetRef: unknown; minReplicas: number; maxReplicas: number } }>(
      HPA,
      'HorizontalPodAutoscaler',
      namespace,
      'backend-listener',
    );
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend-listener' });
    assert.equal(hpa.spec.maxReplicas, 5);

    await eventually(
      'apicast-staging Deployment',
      async () => {
        try {
          await deployment('apicast-staging');
          return true;
        } catch {
          return false;
        }
      },
      30_000,
      300,
    );
    const staging = (await deployment('apicast-staging')).spec.template;
    assert.equal(staging.spec.priorityClassName, 'system-cluster-critical');
    assert.deepEqual(staging.spec.topologySpreadConstraints, spread);
    assert.equal(staging.metadata.labels.team, 'edge');
    assert.equal(staging.metadata.annotations?.['example.test/owner'], 'edge');

    const sa = await admin.get<KubeObject & { imagePullSecrets?: { name: string }[] }>('v1', 'ServiceAccount', namespace, 'amp');
    assert.deepEqual(sa.imagePullSecrets, [{ name: 'quay-pull' }]);
    const pvc = await admin.get<KubeObject & { spec: Record<string, unknown> }>(
      'v1',
      'PersistentVolumeClaim',
      namespace,
      'backend-redis-storage',
    );
    assert.equal(pvc.spec.storageClassName, 'fast');
    assert.equal(pvc.spec.volumeName, 'pv-backend-redis');
    assert.deepEqual(pvc.spec.resources, { requests: { storage: '3Gi' } });
  });

  it('leaves replicas to the HPA, but puts back a scaled workload that has none', async () => {
    // Played by the test: the autoscaler scales apicast-production; a user scales backend-worker by hand.
    await editObject<Workload>(admin, 'apps/v1', 'Deployment', namespace, 'apicast-production', (d) => {
      d.spec.replicas = 3;
    });
    await editObject<Workload>(admin, 'apps/v1', 'Deployment', namespace, 'backend-worker', (d) => {
      d.spec.replicas = 4;
    });
    await eventually('backend-worker back to 1', async () => (await deployment('backend-worker')).spec.replicas === 1, 30_000, 300);
    assert.equal((await deployment('apicast-production')).spec.replicas, 3, 'the operator must not fight the autoscaler');
  });

  it('puts back a removed label and a changed priorityClassName, and keeps a label someone else added', async () => {
    await editObject<Workload>(admin, 'apps/v1', 'Deployment', namespace, 'apicast-staging', (d) => {
      delete d.spec.template.metadata.labels.team;
      d.spec.template.metadata.labels['added-by'] = 'someone-else';
      d.spec.template.spec.priorityClassName = 'system-node-critical';
    });
    await eventually(
      'label and priority class restored',
      async () => {
        const t = (await deployment('apicast-staging')).spec.template;
        return t.metadata.labels.team === 'edge' && t.spec.priorityClassName === 'system-cluster-critical';
      },
      30_000,
      300,
    );
    assert.equal((await deployment('apicast-staging')).spec.template.metadata.labels['added-by'], 'someone-else');
  });

  it('deletes the HPA when hpa is switched off, and then owns replicas again', async () => {
    await editObject(admin, APIM, 'APIManager', namespace, 'example', (cr) => {
      (cr.spec as { backend: { listenerSpec: { hpa?: boolean } } }).backend.listenerSpec.hpa = false;
    });
    await eventually('only apicast-production keeps an HPA', async () => (await hpas()).join() === 'apicast-production', 30_000, 300);
    await editObject<Workload>(admin, 'apps/v1', 'Deployment', namespace, 'backend-listener', (d) => {
      d.spec.replicas = 2;
    });
    await eventually('backend-listener back to 1', async () => (await deployment('backend-listener')).spec.replicas === 1, 30_000, 300);
  });

  it('zync.enabled false removes zync, zync-que and zync-database, and keeps the zync Secret', async () => {
    const secretBefore = await admin.get<KubeObject>('v1', 'Secret', namespace, 'zync');
    await editObject(admin, APIM, 'APIManager', namespace, 'example', (cr) => {
      (cr.spec as { zync?: { enabled?: boolean } }).zync = { enabled: false };
    });
    await eventually(
      'zync workloads deleted',
      async () => {
        const names = (await admin.list<KubeObject>('apps/v1', 'Deployment', namespace)).items.map((d) => d.metadata.name);
        return !names.some((n) => n.startsWith('zync'));
      },
      30_000,
      300,
    );
    await assert.rejects(admin.get('v1', 'Service', namespace, 'zync'), /404/);
    assert.equal(
      (await admin.get<KubeObject>('v1', 'Secret', namespace, 'zync')).metadata.resourceVersion,
      secretBefore.metadata.resourceVersion,
    );
  });

  it('a pass over the unchanged CR writes nothing', async () => {
    const noOp = await writesOfNoOpPass(admin, operator, APIM, 'APIManager', namespace, 'example');
    assert.equal(noOp.writes, 0, `changed: ${noOp.changed.join(', ')}`);
  });
});
