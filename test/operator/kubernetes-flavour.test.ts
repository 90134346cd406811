/**
 * The `kubernetes` flavour chosen by `--flavour` on a cluster that does serve the OpenShift stand-ins:
 * Deployments, Ingresses and hook Jobs instead of DeploymentConfigs/Routes/ImageStreams, readiness through the
 * real deployment and replicaset controllers, from pods the real kube-scheduler binds to kwok's node and kwok makes
 * Running/Ready (no test code writes pod status). Played by the test, and said where: the hook Jobs' outcomes.
 */
import assert from 'node:assert/strict';
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { completeJob, condition, editObject, eventually, type RunningOperator } from './fixture.js';
import { operatorSuite } from './suite.js';
import { kwokNodeName } from '../cluster/scheduling.js';

const APIM = 'apps.3scale.net/v1alpha1';

describe('operator: kubernetes flavour (--flavour override)', function () {
  this.timeout(180_000);
  const suite = operatorSuite({ prefix: 'k8s-flavour', flavour: 'kubernetes' });
  let admin: KubeClient;
  let namespace: string;
  let operator: RunningOperator;
  before(() => {
    ({ admin, namespace } = suite);
    operator = suite.operator!;
  });

  it('creates Deployments (system-app after its pre-hook Job), the six Ingresses, no OpenShift kinds, becomes Available with ready pods, then runs the post hook', async () => {
    await admin.create({
      apiVersion: APIM,
      kind: 'APIManager',
      metadata: { name: 'example', namespace },
      spec: { wildcardDomain: 'example.test' },
    });
    await eventually(
      '14 Deployments and the pre-hook Job',
      async () =>
        (await admin.list('apps/v1', 'Deployment', namespace)).items.length === 14 &&
        (await admin.list('batch/v1', 'Job', namespace)).items.length === 1,
      60_000,
      500,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(
      (await admin.list<KubeObject>('apps/v1', 'Deployment', namespace)).items.find((d) => d.metadata.name === 'system-app'),
      undefined,
      'system-app waits for its pre hook',
    );
    // The other pods may be Ready by now (scheduler + kwok take a second), but system-app does not exist yet.
    const apim = () => admin.get<KubeObject>(APIM, 'APIManager', namespace, 'example');
    await eventually(
      'Available=False while system-app waits for its pre hook',
      async () => condition(await apim(), 'Available')?.status === 'False',
      20_000,
      300,
    );
    // Simulated: the Job controller and the kubelet run the pre-hook pod to completion.
    await completeJob(admin, namespace, 'system-app-pre');
    await eventually(
      'system-app created after its pre hook',
      async () => (await admin.list('apps/v1', 'Deployment', namespace)).items.length === 15,
      30_000,
      300,
    );
    await eventually(
      '6 Ingresses',
      async () => (await admin.list('networking.k8s.io/v1', 'Ingress', namespace)).items.length === 6,
      20_000,
      200,
    );
    const ingresses = (await admin.list<KubeObject & { spec: { rules: { host: string }[] } }>('networking.k8s.io/v1', 'Ingress', namespace))
      .items;
    assert.deepEqual(ingresses.flatMap((i) => i.spec.rules.map((r) => r.host)).sort(), [
      '3scale-admin.example.test',
      '3scale.example.test',
      'api-3scale-apicast-production.example.test',
      'api-3scale-apicast-staging.example.test',
      'backend-3scale.example.test',
      'master.example.test',
    ]);
    assert.equal((await admin.list('apps.openshift.io/v1', 'DeploymentConfig', namespace)).items.length, 0);
    assert.equal((await admin.list('image.openshift.io/v1', 'ImageStream', namespace)).items.length, 0);
    // Real: kube-scheduler binds every pod the ReplicaSets create to kwok's node, kwok makes it Running/Ready, the
    // deployment controller marks each Deployment Available, and the operator reads that.
    await eventually('Available=True', async () => condition(await apim(), 'Available')?.status === 'True', 90_000, 500);
    const pods = (await admin.list<KubeObject & { spec: { nodeName?: string } }>('v1', 'Pod', namespace)).items;
    assert.ok(pods.length > 0 && pods.every((p) => p.spec.nodeName === kwokNodeName), `every pod scheduled on ${kwokNodeName}`);
    await eventually(
      'post-hook Job after the system-app rollout',
      async () => (await admin.list<KubeObject>('batch/v1', 'Job', namespace)).items.some((j) => j.metadata.name === 'system-app-post'),
      30_000,
      500,
    );
  });

  it('steady state on Deployments is a no-op too (server defaults and canonical quantities are not differences)', async () => {
    let before = await operator.writes();
    await eventually(
      'no write for 3 s',
      async () => {
        const now = await operator.writes();
        const quiet = now === before;
        before = now;
        return quiet;
      },
      30_000,
      3000,
    );
    const passes = await operator.metric('threescale_operator_reconcile_total', { kind: 'APIManager' });
    await editObject(admin, APIM, 'APIManager', namespace, 'example', (cr) => {
      cr.metadata.annotations = { ...cr.metadata.annotations, 'example.test/touched': 'yes' };
    });
    await eventually(
      'pass ran',
      async () => (await operator.metric('threescale_operator_reconcile_total', { kind: 'APIManager' })) > passes,
      20_000,
      200,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(await operator.writes(), before);
  });
});

/** Writes the status the Job controller writes when the Job's pods failed past its backoff limit. */
async function failJob(admin: KubeClient, namespace: string, name: string): Promise<void> {
  const now = new Date().toISOString();
  const reason = {
    reason: 'BackoffLimitExceeded',
    message: 'Job has reached the specified backoff limit',
    lastProbeTime: now,
    lastTransitionTime: now,
  };
  await admin.mergePatch(
    'batch/v1',
    'Job',
    namespace,
    name,
    {
      status: {
        startTime: now,
        failed: 1,
        conditions: [
          { type: 'FailureTarget', status: 'True', ...reason },
          { type: 'Failed', status: 'True', ...reason },
        ],
      },
    },
    'status',
  );
}

describe('operator: kubernetes flavour, failed pre-hook Job', function () {
  this.timeout(120_000);
  const suite = operatorSuite({ prefix: 'hook-fail', flavour: 'kubernetes' });

  it('sets Degraded naming the Job and its reason, and does not create system-app past the failed hook', async () => {
    const { admin, namespace } = suite;
    await admin.create({
      apiVersion: APIM,
      kind: 'APIManager',
      metadata: { name: 'example', namespace },
      spec: { wildcardDomain: 'example.test' },
    });
    await eventually(
      'pre-hook Job created',
      async () => (await admin.list<KubeObject>('batch/v1', 'Job', namespace)).items.some((j) => j.metadata.name === 'system-app-pre'),
      60_000,
      300,
    );
    // Simulated: no kubelet and no Job controller here, so the test writes the Failed status the Job controller
    // would write after the hook pod failed `backoffLimit` times.
    await failJob(admin, namespace, 'system-app-pre');
    const apim = () => admin.get<KubeObject>(APIM, 'APIManager', namespace, 'example');
    await eventually('Degraded HookJobFailed', async () => condition(await apim(), 'Degraded')?.reason === 'HookJobFailed', 30_000, 300);
    const degraded = condition(await apim(), 'Degraded')!;
    assert.equal(degraded.status, 'True');
    assert.match(degraded.message ?? '', /system-app-pre/);
    assert.match(degraded.message ?? '', /BackoffLimitExceeded/);
    assert.equal(condition(await apim(), 'Progressing')?.status, 'True');
    // Later passes (a CR touch triggers one) still hold system-app back and keep the failed Job for inspection.
    await editObject(admin, APIM, 'APIManager', namespace, 'example', (cr) => {
      cr.metadata.annotations = { ...cr.metadata.annotations, 'example.test/touched': 'yes' };
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const deployments = (await admin.list<KubeObject>('apps/v1', 'Deployment', namespace)).items.map((d) => d.metadata.name);
    assert.ok(deployments.includes('backend-listener'), 'the other workloads are deployed');
    assert.ok(!deployments.includes('system-app'), 'the rollout does not proceed past a failed pre hook');
    const jobs = (await admin.list<KubeObject>('batch/v1', 'Job', namespace)).items.map((j) => j.metadata.name);
    assert.deepEqual(jobs, ['system-app-pre'], 'the failed Job is kept for inspection and no post hook runs');
  });
});
