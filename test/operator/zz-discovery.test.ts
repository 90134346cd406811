/**
 * Runs last (file name): API discovery picks the `kubernetes` flavour once the OpenShift stand-in CRDs are gone
 * (test-cluster.md §6). Deletes the stand-ins from the shared cluster, starts a FRESH operator process (discovery
 * is read at start) without --flavour, checks it creates Deployments, then re-installs the stand-ins.
 */
import assert from 'node:assert/strict';
import type { Cluster } from '../cluster/harness.js';
import { deleteCrds, installCrds } from '../cluster/crds.js';
import { standInCrdPaths } from '../cluster/openshift-types/sources.js';
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { eventually } from './fixture.js';
import { operatorSuite } from './suite.js';

describe('operator: flavour from API discovery (runs last)', function () {
  this.timeout(180_000);
  // The stand-ins come back after the suite whatever the test did.
  const suite = operatorSuite({
    prefix: 'discovery',
    start: false,
    cleanup: async () => {
      await installCrds(suite.cluster.kubeConfig(), await standInCrdPaths());
    },
  });
  let cluster: Cluster;
  let admin: KubeClient;
  before(() => {
    ({ cluster, admin } = suite);
  });

  it('without the OpenShift API groups a fresh operator chooses kubernetes and creates Deployments', async () => {
    await deleteCrds(cluster.kubeConfig(), await standInCrdPaths());
    const served = await admin.servedGroupVersions();
    assert.ok(!served.has('apps.openshift.io/v1') && !served.has('route.openshift.io/v1'));
    const operator = await suite.start();
    assert.match(operator.process.logs(), /"flavour":"kubernetes","workloads":"Deployment","override":false/);
    await admin.create({
      apiVersion: 'apps.3scale.net/v1alpha1',
      kind: 'APIManager',
      metadata: { name: 'example', namespace: suite.namespace },
      spec: { wildcardDomain: 'example.test' },
    });
    await eventually(
      'Deployments created',
      async () =>
        (await admin.list<KubeObject>('apps/v1', 'Deployment', suite.namespace)).items.some((d) => d.metadata.name === 'backend-listener'),
      60_000,
      500,
    );
  });
});
