import assert from 'node:assert/strict';
import { build, desiredOf, find, modelOf } from '../../testing/build.js';
import { planWrite } from '../../controller/apply/plan-write.js';
import type { KubeObject } from './desired.js';

interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}
const template = (o: KubeObject) => (o.spec as { template: PodTemplate }).template;
const spread = [
  {
    maxSkew: 1,
    topologyKey: 'topology.kubernetes.io/zone',
    whenUnsatisfiable: 'ScheduleAnyway' as const,
    labelSelector: { matchLabels: { app: '3scale-api-management' } },
  },
];
const owner = {
  apiVersion: 'apps.3scale.net/v1alpha1',
  kind: 'APIManager',
  name: 'x',
  uid: 'uid-1',
  controller: true,
  blockOwnerDeletion: true,
};

describe('per-component scheduling knobs (priorityClassName, topologySpreadConstraints, labels, annotations)', () => {
  const spec = {
    apicast: {
      stagingSpec: {
        priorityClassName: 'openshift-user-critical',
        topologySpreadConstraints: spread,
        labels: { team: 'edge', deploymentConfig: 'hijack' },
        annotations: { 'example.com/owner': 'edge' },
      },
    },
    backend: { redisPriorityClassName: 'db-critical', redisLabels: { tier: 'data' } },
    system: { database: { mysql: { annotations: { backup: 'nightly' } } }, sphinxSpec: { priorityClassName: 'low' } },
    zync: { databaseTopologySpreadConstraints: spread },
  };
  const result = build(spec);

  it('puts them on the pod template of the component that names them', () => {
    const staging = template(find(result, 'DeploymentConfig', 'apicast-staging'));
    assert.equal(staging.spec.priorityClassName, 'openshift-user-critical');
    assert.deepEqual(staging.spec.topologySpreadConstraints, spread);
    assert.equal(staging.metadata.labels.team, 'edge');
    assert.equal(staging.metadata.annotations?.['example.com/owner'], 'edge');
    assert.equal(template(find(result, 'DeploymentConfig', 'backend-redis')).spec.priorityClassName, 'db-critical');
    assert.equal(template(find(result, 'DeploymentConfig', 'backend-redis')).metadata.labels.tier, 'data');
    assert.equal(template(find(result, 'DeploymentConfig', 'system-mysql')).metadata.annotations?.backup, 'nightly');
    assert.equal(template(find(result, 'DeploymentConfig', 'system-sphinx')).spec.priorityClassName, 'low');
    assert.deepEqual(template(find(result, 'DeploymentConfig', 'zync-database')).spec.topologySpreadConstraints, spread);
  });

  it('a user label never replaces a generated one (the selector depends on it)', () => {
    assert.equal(template(find(result, 'DeploymentConfig', 'apicast-staging')).metadata.labels.deploymentConfig, 'apicast-staging');
  });

  it('leaves every other component as before', () => {
    const plain = template(find(build(), 'DeploymentConfig', 'apicast-production'));
    assert.deepEqual(template(find(result, 'DeploymentConfig', 'apicast-production')), plain);
    assert.equal('priorityClassName' in plain.spec, false);
  });

  it('carries them to the Deployments of the kubernetes flavour', () => {
    const staging = template(find(build(spec, { flavour: 'kubernetes' }), 'Deployment', 'apicast-staging'));
    assert.equal(staging.spec.priorityClassName, 'openshift-user-critical');
    assert.equal(staging.metadata.labels.team, 'edge');
  });

  it('reconciles them on a live workload, key by key for labels and annotations, keeping keys others added', () => {
    const desired = desiredOf(result, 'DeploymentConfig', 'apicast-staging');
    const live = structuredClone(desiredOf(build(), 'DeploymentConfig', 'apicast-staging').object);
    template(live).metadata.labels['added-by'] = 'someone-else';
    const plan = planWrite(desired, live, { namespace: 'ns', owner });
    assert.equal(plan.action, 'update');
    const next = template(plan.body);
    assert.equal(next.spec.priorityClassName, 'openshift-user-critical');
    assert.deepEqual(next.spec.topologySpreadConstraints, spread);
    assert.equal(next.metadata.labels.team, 'edge');
    assert.equal(next.metadata.labels['added-by'], 'someone-else');
    assert.equal(next.metadata.annotations?.['example.com/owner'], 'edge');
    assert.equal(planWrite(desired, plan.body, { namespace: 'ns', owner }).action, 'none', 'a second pass writes nothing');
  });
});

describe('PVC settings (storageClassName, volumeName, resources.requests)', () => {
  it('apply to the claim of the component that names them', () => {
    const result = build({
      backend: { redisPersistentVolumeClaim: { storageClassName: 'fast', volumeName: 'pv-backend-redis', resources: { requests: '5Gi' } } },
      system: { fileStorage: { persistentVolumeClaim: { storageClassName: 'nfs', volumeName: 'pv-files' } } },
    });
    assert.deepEqual(find(result, 'PersistentVolumeClaim', 'backend-redis-storage').spec, {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '5Gi' } },
      storageClassName: 'fast',
      volumeName: 'pv-backend-redis',
    });
    assert.deepEqual(find(result, 'PersistentVolumeClaim', 'system-storage').spec, {
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: '100Mi' } },
      storageClassName: 'nfs',
      volumeName: 'pv-files',
    });
    assert.deepEqual(find(result, 'PersistentVolumeClaim', 'system-redis-storage').spec, {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    });
  });
});

describe('imagePullSecrets', () => {
  const ctx = { namespace: 'ns', owner };
  it('without it the amp ServiceAccount is 2.9s: threescale-registry-auth, created once', () => {
    const sa = desiredOf(build(), 'ServiceAccount', 'amp');
    assert.deepEqual(sa.object.imagePullSecrets, [{ name: 'threescale-registry-auth' }]);
    assert.equal(sa.reconcile.mode, 'create-only');
  });

  it('with it the list is reconciled, keeping the pull secret OpenShift added', () => {
    const sa = desiredOf(build({ imagePullSecrets: [{ name: 'quay-pull' }, { name: 'rh-pull' }] }), 'ServiceAccount', 'amp');
    const live: KubeObject = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'amp' },
      imagePullSecrets: [{ name: 'threescale-registry-auth' }, { name: 'amp-dockercfg-x7k2p' }],
    };
    const plan = planWrite(sa, live, ctx);
    assert.equal(plan.action, 'update');
    assert.deepEqual(plan.body.imagePullSecrets, [{ name: 'quay-pull' }, { name: 'rh-pull' }, { name: 'amp-dockercfg-x7k2p' }]);
    assert.equal(planWrite(sa, plan.body, ctx).action, 'none');
  });

  it('refuses names OpenShift manages, naming the field', () => {
    assert.throws(
      () => modelOf({ imagePullSecrets: [{ name: 'ok' }, { name: 'builder-dockercfg-abc' }] }),
      /spec\.imagePullSecrets\[1\]\.name.*dockercfg-/,
    );
  });
});

describe('per-component resources (2.10+)', () => {
  const containerResources = (result: ReturnType<typeof build>, dc: string, container: string) =>
    (
      find(result, 'DeploymentConfig', dc).spec as { template: { spec: { containers: { name: string; resources: unknown }[] } } }
    ).template.spec.containers.find((c) => c.name === container)?.resources;
  const custom = { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '4', memory: '2Gi' } };

  it('replace the defaults of the container they name, even with resourceRequirementsEnabled false', () => {
    const result = build({
      resourceRequirementsEnabled: false,
      backend: { listenerSpec: { resources: custom }, redisResources: custom },
      system: { appSpec: { resources: custom, providerContainerResources: { limits: { memory: '3Gi' } } } },
    });
    assert.deepEqual(containerResources(result, 'backend-listener', 'backend-listener'), custom);
    assert.deepEqual(containerResources(result, 'backend-redis', 'backend-redis'), custom);
    assert.deepEqual(containerResources(result, 'system-app', 'system-master'), custom, 'appSpec.resources: all three containers');
    assert.deepEqual(containerResources(result, 'system-app', 'system-provider'), { limits: { memory: '3Gi' } }, 'a named container wins');
    assert.deepEqual(containerResources(result, 'backend-worker', 'backend-worker'), {}, 'others follow resourceRequirementsEnabled');
  });

  it('leave a 2.9 CR at the defaults', () => {
    assert.deepEqual(containerResources(build(), 'backend-listener', 'backend-listener'), {
      limits: { cpu: '1', memory: '700Mi' },
      requests: { cpu: '500m', memory: '550Mi' },
    });
  });
});
