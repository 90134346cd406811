/**
 * A running DeploymentConfig installation moved to Deployments on OpenShift (THREESCALE_WORKLOADS=Deployment, as
 * 3scale 2.15 did on upgrade), on the real test cluster. The test plays the parts no kubelet-free cluster has, and
 * says so: the DC controller (DC status follows spec.replicas, openshift-stand-ins.ts) and the Job controller
 * (system-app's pre hook). The Deployments' pods are real: kube-scheduler binds them to kwok's node and kwok makes
 * them Ready. Throughout, no component may run as a DeploymentConfig with pods and as a
 * Deployment at the same time, and every Secret and PVC must come through untouched.
 */
import assert from 'node:assert/strict';
import type { Cluster } from '../cluster/harness.js';
import { markDeploymentConfigAvailable } from '../cluster/openshift-stand-ins.js';
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { completeJob, condition, eventually, operatorCredentials, simulateOpenShiftReadiness, startOperator } from './fixture.js';
import { operatorSuite } from './suite.js';

const APIM = 'apps.3scale.net/v1alpha1';
const DC = 'apps.openshift.io/v1';
type Replicated = KubeObject & { spec: { replicas?: number }; status?: { replicas?: number } };

describe('operator: DeploymentConfigs → Deployments on a running installation', function () {
  this.timeout(240_000);
  const suite = operatorSuite({ prefix: 'dc-migration', logLines: 80 });
  let cluster: Cluster;
  let admin: KubeClient;
  let namespace: string;
  before(() => {
    ({ cluster, admin, namespace } = suite);
  });

  const apim = () => admin.get<KubeObject>(APIM, 'APIManager', namespace, 'example');
  const list = async <T extends KubeObject>(apiVersion: string, kind: string) => (await admin.list<T>(apiVersion, kind, namespace)).items;

  it('moves every component, one copy at a time, keeping every Secret and PVC, and ends Available', async () => {
    await admin.create({
      apiVersion: APIM,
      kind: 'APIManager',
      metadata: { name: 'example', namespace },
      spec: { wildcardDomain: 'example.test' },
    });
    await eventually('15 DeploymentConfigs', async () => (await list(DC, 'DeploymentConfig')).length === 15, 60_000, 500);
    await simulateOpenShiftReadiness(cluster, admin, namespace);
    await eventually('Available on DeploymentConfigs', async () => condition(await apim(), 'Available')?.status === 'True', 45_000, 300);
    const dcNames = (await list(DC, 'DeploymentConfig')).map((d) => d.metadata.name).sort();
    const secrets = new Map((await list('v1', 'Secret')).map((s) => [s.metadata.name, s.metadata.resourceVersion]));
    const claims = new Map((await list('v1', 'PersistentVolumeClaim')).map((p) => [p.metadata.name, p.metadata.uid]));
    assert.ok(claims.size >= 4, 'the installation has its PVCs');

    // The same operator version, now told to run Deployments.
    const started = Date.now();
    await suite.operator!.stop();
    suite.operator = await startOperator({
      kubeconfigPath: await operatorCredentials(cluster, namespace),
      watchNamespace: namespace,
      leaseNamespace: namespace,
      env: { THREESCALE_WORKLOADS: 'Deployment' },
    });

    const overlaps: string[] = [];
    let state = '';
    await eventually(
      'every DeploymentConfig replaced by a Deployment',
      async () => {
        const dcs = await list<Replicated>(DC, 'DeploymentConfig');
        const deployments = new Set((await list('apps/v1', 'Deployment')).map((d) => d.metadata.name));
        for (const dc of dcs) {
          if ((dc.status?.replicas ?? 0) > 0 && deployments.has(dc.metadata.name)) overlaps.push(dc.metadata.name);
          // Played by the test: the DC controller stops the pods of a DeploymentConfig scaled to 0.
          if (dc.spec.replicas === 0 && (dc.status?.replicas ?? 0) > 0)
            await markDeploymentConfigAvailable(cluster.kubeConfig(), namespace, dc.metadata.name);
        }
        // Played by the test: the Job controller runs system-app's pre-hook Job.
        for (const job of await list<KubeObject & { status?: { succeeded?: number } }>('batch/v1', 'Job')) {
          if (job.metadata.name === 'system-app-pre' && !job.status?.succeeded) await completeJob(admin, namespace, job.metadata.name);
        }
        state = `DeploymentConfigs left: ${dcs.map((d) => `${d.metadata.name} (${d.spec.replicas}/${d.status?.replicas ?? 0})`).join(', ') || 'none'}; Deployments: ${[...deployments].sort().join(', ')}`;
        return dcs.length === 0 && deployments.size === dcNames.length;
      },
      120_000,
      300,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; ${state}`);
    });
    const seconds = (Date.now() - started) / 1000;
    console.log(`      DC → Deployment migration of ${dcNames.length} components: ${seconds.toFixed(1)} s`);
    assert.deepEqual(overlaps, [], 'a component ran as a DeploymentConfig with pods while its Deployment existed');
    assert.deepEqual((await list('apps/v1', 'Deployment')).map((d) => d.metadata.name).sort(), dcNames);

    for (const [name, resourceVersion] of secrets) {
      assert.equal(
        (await admin.get<KubeObject>('v1', 'Secret', namespace, name)).metadata.resourceVersion,
        resourceVersion,
        `Secret ${name} untouched`,
      );
    }
    for (const [name, uid] of claims)
      assert.equal((await admin.get<KubeObject>('v1', 'PersistentVolumeClaim', namespace, name)).metadata.uid, uid, `PVC ${name} kept`);
    assert.ok((await list('route.openshift.io/v1', 'Route')).length >= 6, 'the Routes stay');
    await eventually(
      'the operator-created ImageStreams are gone',
      async () => (await list('image.openshift.io/v1', 'ImageStream')).length === 0,
      30_000,
      300,
    );

    // Real: kube-scheduler and kwok run the new pods; the deployment controller reports them Available.
    await eventually('Available on Deployments', async () => condition(await apim(), 'Available')?.status === 'True', 90_000, 500);
    assert.equal(condition(await apim(), 'WorkloadMigration')?.status, 'False');
    assert.equal(condition(await apim(), 'WorkloadMigration')?.reason, 'Completed');
  });
});
