/**
 * Runs last (file name): API discovery picks the `kubernetes` flavour once the OpenShift stand-in CRDs are gone
 * (test-cluster.md §6). Deletes the stand-ins from the shared cluster, starts a FRESH operator process (discovery
 * is read at start) without --flavour, checks it creates Deployments, then re-installs the stand-ins.
 */
import assert from 'node:assert/strict';
import type { Cluster } from '../cluster/harness.js';
import { clusterStartTimeoutMs, useCluster } from '../cluster/shared.js';
import { createNamespace, deleteNamespace } from '../cluster/namespaces.js';
import { deleteCrds, installCrds } from '../cluster/crds.js';
import { standInCrdPaths } from '../cluster/openshift-types/sources.js';
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { adminClient, eventually, installOperatorCrds, operatorCredentials, startOperator, type RunningOperator } from './fixture.js';

describe('operator: flavour from API discovery (runs last)', function () {
  this.timeout(180_000);
  let cluster: Cluster;
  let admin: KubeClient;
  let namespace: string;
  let operator: RunningOperator | undefined;

  before(async function () {
    this.timeout(clusterStartTimeoutMs);
    cluster = await useCluster();
    await installOperatorCrds(cluster);
    admin = await adminClient(cluster);
    namespace = await createNamespace(cluster.kubeConfig(), 'discovery');
  });
  after(async function () {
    this.timeout(120_000);
    await operator?.stop();
    await deleteNamespace(cluster.kubeConfig(), namespace);
    await installCrds(cluster.kubeConfig(), await standInCrdPaths());
    await admin?.close();
  });

  it('without the OpenShift API groups a fresh operator chooses kubernetes and creates Deployments', async () => {
    await deleteCrds(cluster.kubeConfig(), await standInCrdPaths());
    const served = await admin.servedGroupVersions();
    assert.ok(!served.has('apps.openshift.io/v1') && !served.has('route.openshift.io/v1'));
    operator = await startOperator({ kubeconfigPath: await operatorCredentials(cluster, namespace), watchNamespace: namespace, leaseNamespace: namespace });
    assert.match(operator.process.logs(), /"flavour":"kubernetes","override":false/);
    await admin.create({ apiVersion: 'apps.3scale.net/v1alpha1', kind: 'APIManager', metadata: { name: 'example', namespace }, spec: { wildcardDomain: 'example.test' } });
    await eventually('Deployments created', async () => (await admin.list<KubeObject>('apps/v1', 'Deployment', namespace)).items.some((d) => d.metadata.name === 'backend-listener'), 60_000, 500);
  });
});
