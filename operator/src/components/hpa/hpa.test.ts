import assert from 'node:assert/strict';
import { build, desiredOf, find } from '../../testing/build.js';
import { planWrite } from '../../controller/apply/plan-write.js';
import type { KubeObject } from '../common/desired.js';

const AUTOSCALED = {
  apicast: { productionSpec: { hpa: true, replicas: 3 } },
  backend: { listenerSpec: { hpa: true }, workerSpec: { hpa: true } },
};
const owner = {
  apiVersion: 'apps.3scale.net/v1alpha1',
  kind: 'APIManager',
  name: 'x',
  uid: 'uid-1',
  controller: true,
  blockOwnerDeletion: true,
};

describe('HorizontalPodAutoscalers (hpa: true)', () => {
  it('builds an autoscaling/v2 HPA per flagged workload with upstream defaults, scaling the DeploymentConfig', () => {
    const result = build(AUTOSCALED);
    const hpa = find(result, 'HorizontalPodAutoscaler', 'backend-worker');
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
    assert.deepEqual(hpa.spec, {
      scaleTargetRef: { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', name: 'backend-worker' },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 90 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 90 } } },
      ],
    });
    assert.deepEqual(
      result.objects.filter((o) => o.object.kind === 'HorizontalPodAutoscaler').map((o) => o.object.metadata.name),
      ['apicast-production', 'backend-listener', 'backend-worker'],
    );
  });

  it('on plain Kubernetes the HPA scales the Deployment of the same name', () => {
    const hpa = find(build(AUTOSCALED, { flavour: 'kubernetes' }), 'HorizontalPodAutoscaler', 'apicast-production');
    assert.deepEqual((hpa.spec as { scaleTargetRef: unknown }).scaleTargetRef, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'apicast-production',
    });
  });

  it('without hpa no HPA is built and the three are listed for deletion', () => {
    const result = build();
    assert.equal(result.objects.filter((o) => o.object.kind === 'HorizontalPodAutoscaler').length, 0);
    assert.deepEqual(
      result.absent.filter((r) => r.kind === 'HorizontalPodAutoscaler').map((r) => r.name),
      ['apicast-production', 'backend-listener', 'backend-worker'],
    );
  });

  it('the HPA owns replicas: a live DC scaled by the autoscaler is not scaled back; without hpa it is', () => {
    const live = (replicas: number): KubeObject => {
      const object = structuredClone(desiredOf(build(AUTOSCALED), 'DeploymentConfig', 'apicast-production').object);
      (object.spec as { replicas: number }).replicas = replicas;
      return object;
    };
    const ctx = { namespace: 'ns', owner };
    assert.equal(planWrite(desiredOf(build(AUTOSCALED), 'DeploymentConfig', 'apicast-production'), live(4), ctx).action, 'none');
    const plain = planWrite(
      desiredOf(build({ apicast: { productionSpec: { replicas: 3 } } }), 'DeploymentConfig', 'apicast-production'),
      live(4),
      ctx,
    );
    assert.equal(plain.action, 'update');
    assert.equal((plain.body.spec as { replicas: number }).replicas, 3);
  });

  it('the HPA itself is created once and then left to the user to tune', () => {
    const hpa = desiredOf(build(AUTOSCALED), 'HorizontalPodAutoscaler', 'backend-listener');
    const tuned = structuredClone(hpa.object);
    (tuned.spec as { maxReplicas: number }).maxReplicas = 20;
    assert.equal(planWrite(hpa, tuned, { namespace: 'ns', owner }).action, 'none');
  });
});
