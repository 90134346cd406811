import assert from 'node:assert/strict';
import type { KubeObject } from '../desired.js';
import { availability, defaultHosts, deploymentsStatus } from './apimanager-status.js';
import { setConditions } from './conditions.js';

const dc = (name: string, replicas: number, status: Record<string, unknown>, generation = 1): KubeObject => ({
  apiVersion: 'apps.openshift.io/v1',
  kind: 'DeploymentConfig',
  metadata: { name, generation },
  spec: { replicas },
  status,
});
const ready = (name: string) =>
  dc(name, 1, { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, observedGeneration: 1 });
const route = (host: string, admitted: boolean): KubeObject => ({
  apiVersion: 'route.openshift.io/v1',
  kind: 'Route',
  metadata: { name: host },
  spec: { host },
  status: admitted ? { ingress: [{ conditions: [{ type: 'Admitted', status: 'True' }] }] } : {},
});

describe('APIManager status (operator.md §1.3, README Available)', () => {
  it('classifies deployments as ready/starting/stopped, sorted, empty lists omitted', () => {
    assert.deepEqual(deploymentsStatus([ready('b'), dc('a', 1, { replicas: 1, readyReplicas: 0 }), dc('c', 0, {})]), {
      ready: ['b'],
      starting: ['a'],
      stopped: ['c'],
    });
  });
  it('Available needs every expected workload available (DC latest version complete) and the six routes admitted', () => {
    const hosts = defaultHosts('3scale', 'example.test');
    const owned = new Map([
      ['a', ready('a')],
      ['b', ready('b')],
    ]);
    const routes = hosts.map((h) => route(h, true));
    assert.equal(availability({ expected: ['a', 'b'], owned, flavour: 'openshift', hosts, exposures: routes }).available, true);
    const missing = availability({
      expected: ['a', 'b', 'c'],
      owned,
      flavour: 'openshift',
      hosts,
      exposures: [...routes.slice(1), route(hosts[0], false)],
    });
    assert.deepEqual(missing.missing, ['c (absent)', 'route backend-3scale.example.test (not admitted)']);
    const rolling = new Map([['a', dc('a', 1, { availableReplicas: 1, updatedReplicas: 0, observedGeneration: 2 }, 2)]]);
    const deployment = new Map([['a', { ...rolling.get('a')!, apiVersion: 'apps/v1', kind: 'Deployment' }]]);
    assert.deepEqual(
      availability({ expected: ['a'], owned: deployment, flavour: 'kubernetes', hosts: [], exposures: [] }).available,
      true,
      'a Deployment counts available replicas',
    );
    assert.deepEqual(
      availability({ expected: ['a'], owned: rolling, flavour: 'openshift', hosts: [], exposures: [] }).missing,
      ['a (not available)'],
      'a DC also needs its latest version complete',
    );
  });
  it('conditions keep lastTransitionTime while the status does not change', () => {
    const first = setConditions(undefined, [{ type: 'Available', status: 'False', reason: 'R', message: 'm1' }], 1, () => 't1');
    const same = setConditions(first, [{ type: 'Available', status: 'False', reason: 'R', message: 'm2' }], 2, () => 't2');
    assert.equal(same[0].lastTransitionTime, 't1');
    assert.equal(same[0].observedGeneration, 2, 'the condition says which generation it describes');
    const flipped = setConditions(same, [{ type: 'Available', status: 'True', reason: 'R', message: '' }], 3, () => 't3');
    assert.equal(flipped[0].lastTransitionTime, 't3');
    assert.equal(flipped[0].observedGeneration, 3);
  });
});
