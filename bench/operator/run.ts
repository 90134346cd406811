/**
 * Operator figures on the local test cluster (real kube-apiserver/etcd/controller-manager), the operator running
 * as its own process under the cluster-wide RBAC of manifests/deploy:
 *  - time from applying the sample APIManager to every object created (p50 of 5 fresh namespaces),
 *  - API write calls of the first reconcile and of a no-op reconcile,
 *  - the same for an APIManager with every 2.10–2.16 option set (hpa, scheduling, pull secrets, PVCs, gateway
 *    settings with their Secrets, external zync database),
 *  - the move of a running installation from DeploymentConfigs to Deployments (the DC and Job controllers
 *    played as in test/operator/workload-migration.test.ts; the Deployments' pods run on kwok's node),
 *  - operator RSS after reconciling 50 APIManagers in 50 namespaces.
 * Writes are read from the operator's own counter (threescale_operator_api_writes_total), Lease renewals excluded.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCluster } from '../../test/cluster/harness.js';
import { createNamespace } from '../../test/cluster/namespaces.js';
import { stopAll } from '../../test/support/process.js';
import { KubeClient } from '../../operator/src/controller/kube/client.js';
import { renderDocument } from '../../operator/src/render/render.js';
import { SAMPLE_APIMANAGER } from '../../operator/src/deploy/samples.js';
import {
  completeJob,
  installOperatorCrds,
  operatorCredentials,
  simulateOpenShiftReadiness,
  startOperator,
  sumMetric,
  eventually,
  type RunningOperator,
} from '../../test/operator/fixture.js';
import { markDeploymentConfigAvailable } from '../../test/cluster/openshift-stand-ins.js';
import type { Cluster } from '../../test/cluster/harness.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { pidOf } from '../required.js';

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function writesByKind(operator: RunningOperator): Promise<{ total: number; events: number; creates: number }> {
  const text = await operator.metrics();
  const all = sumMetric(text, 'threescale_operator_api_writes_total', {});
  const lease = sumMetric(text, 'threescale_operator_api_writes_total', { kind: 'Lease' });
  const events = sumMetric(text, 'threescale_operator_api_writes_total', { kind: 'Event' });
  const creates =
    sumMetric(text, 'threescale_operator_api_writes_total', { verb: 'create' }) -
    sumMetric(text, 'threescale_operator_api_writes_total', { verb: 'create', kind: 'Event' }) -
    sumMetric(text, 'threescale_operator_api_writes_total', { verb: 'create', kind: 'Lease' });
  return { total: all - lease - events, events, creates };
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

export async function run(): Promise<void> {
  const cluster = await startCluster();
  try {
    await installOperatorCrds(cluster);
    const admin = await KubeClient.fromKubeConfig(cluster.kubeConfig());
    const home = await createNamespace(cluster.kubeConfig(), 'bench-operator');
    const operator = await startOperator({
      kubeconfigPath: await operatorCredentials(cluster, home, { scope: 'cluster' }),
      watchNamespace: '',
      leaseNamespace: home,
    });
    const rendered = renderDocument(SAMPLE_APIMANAGER, { flavour: 'openshift', env: {} });
    if (!rendered.ok) throw new Error('sample APIManager does not render');
    const objectCount = rendered.result.objects.length;

    const durations: number[] = [];
    const firstWrites: number[] = [];
    const firstEvents: number[] = [];
    let lastNamespace = '';
    for (let i = 0; i < 5; i++) {
      const ns = await createNamespace(cluster.kubeConfig(), `bench-apim-${i}`);
      lastNamespace = ns;
      await sleep(500); // the namespace's own objects (default SA, root CA) settle first
      const before = await writesByKind(operator);
      const started = performance.now();
      await admin.create({ ...SAMPLE_APIMANAGER, metadata: { ...SAMPLE_APIMANAGER.metadata, namespace: ns } });
      await eventually(
        'all objects created',
        async () => (await writesByKind(operator)).creates - before.creates >= objectCount,
        120_000,
        20,
      );
      durations.push(performance.now() - started);
      // The first reconcile is over once the writes stop (status included).
      let last = -1;
      await eventually(
        'quiet',
        async () => {
          const now = (await writesByKind(operator)).total;
          const quiet = now === last;
          last = now;
          return quiet;
        },
        60_000,
        1500,
      );
      const after = await writesByKind(operator);
      firstWrites.push(after.total - before.total);
      firstEvents.push(after.events - before.events);
    }
    console.log(
      `sample APIManager: ${objectCount} objects; apply → all created: p50 ${percentile(durations, 50).toFixed(0)} ms (runs: ${durations.map((d) => d.toFixed(0)).join(', ')} ms)`,
    );
    console.log(
      `API writes, first reconcile: p50 ${percentile(firstWrites, 50)} (objects + CR annotation + status; plus ${percentile(firstEvents, 50)} Events)`,
    );

    const before = await writesByKind(operator);
    const passes = sumMetric(await operator.metrics(), 'threescale_operator_reconcile_total', { kind: 'APIManager' });
    const cr = await admin.get(SAMPLE_APIMANAGER.apiVersion, 'APIManager', lastNamespace, SAMPLE_APIMANAGER.metadata.name);
    cr.metadata.annotations = { ...cr.metadata.annotations, 'bench/touch': '1' };
    await admin.update(cr);
    await eventually(
      'pass',
      async () => sumMetric(await operator.metrics(), 'threescale_operator_reconcile_total', { kind: 'APIManager' }) > passes,
      30_000,
      50,
    );
    await sleep(1000);
    const noop = await writesByKind(operator);
    console.log(`API writes, no-op reconcile: ${noop.total - before.total} (+${noop.events - before.events} Events)`);

    await benchEveryOption(cluster, admin, operator);

    const started = performance.now();
    const creates0 = (await writesByKind(operator)).creates;
    for (let i = 0; i < 45; i++) {
      const ns = await createNamespace(cluster.kubeConfig(), `bench-many-${i}`);
      await admin.create({ ...SAMPLE_APIMANAGER, metadata: { ...SAMPLE_APIMANAGER.metadata, namespace: ns } });
    }
    let lastReport = Date.now();
    await eventually(
      '45 more APIManagers reconciled',
      async () => {
        const done = (await writesByKind(operator)).creates - creates0;
        if (Date.now() - lastReport > 30_000) {
          lastReport = Date.now();
          console.log(`  … ${done}/${45 * objectCount} objects created after ${((performance.now() - started) / 1000).toFixed(0)} s`);
        }
        return done >= 45 * objectCount;
      },
      Number(process.env.BENCH_OPERATOR_TIMEOUT_MS ?? 900_000),
      1000,
    ).catch((error: unknown) => {
      console.log(
        operator.process
          .logs()
          .split('\n')
          .filter((l) => !l.includes('"level":30'))
          .slice(-30)
          .join('\n'),
      );
      throw error;
    });
    console.log(
      `50 APIManagers in 50 namespaces: reconciled the last 45 in ${((performance.now() - started) / 1000).toFixed(1)} s; operator RSS ${(await rssMiB(pidOf(operator.process, 'the operator'))).toFixed(0)} MiB (cluster RSS ${((await cluster.rssBytes()) / 2 ** 20).toFixed(0)} MiB)`,
    );
    await operator.stop();
    // Its own operator on one namespace: the cluster-wide one above is stopped first so that they never share a CR.
    await benchMigration(cluster, admin);
    await admin.close();
  } finally {
    await cluster.stop();
    await stopAll();
  }
}

const EVERY_OPTION_SPEC = {
  wildcardDomain: 'example.test',
  imagePullSecrets: [{ name: 'quay-pull' }],
  externalComponents: { zync: { database: true } },
  apicast: {
    productionSpec: {
      hpa: true,
      priorityClassName: 'system-cluster-critical',
      labels: { team: 'edge' },
      annotations: { 'example.test/owner': 'edge' },
      customPolicies: [{ name: 'hello', version: '0.1', secretRef: { name: 'policy-hello' } }],
      openTelemetry: { enabled: true, tracingConfigSecretRef: { name: 'otel-config' } },
      httpsCertificateSecretRef: { name: 'gateway-tls' },
      httpsProxy: 'http://proxy.example.test:3128',
      noProxy: 'backend-listener',
      workers: 2,
      logLevel: 'info',
    },
    stagingSpec: {
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }],
    },
  },
  backend: {
    listenerSpec: { hpa: true },
    workerSpec: { hpa: true },
    redisPersistentVolumeClaim: { storageClassName: 'fast', resources: { requests: '2Gi' } },
  },
  system: { appSpec: { priorityClassName: 'system-cluster-critical' }, redisLabels: { tier: 'data' } },
};

/** Apply → every object created, and the writes of a no-op pass, for a CR that uses every new option. */
async function benchEveryOption(cluster: Cluster, admin: KubeClient, operator: RunningOperator): Promise<void> {
  const ns = await createNamespace(cluster.kubeConfig(), 'bench-every-option');
  const secret = (name: string, stringData: Record<string, string>) =>
    admin.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, stringData });
  await secret('policy-hello', { 'apicast-policy.json': '{}', 'index.js': 'export default class {}' });
  await secret('otel-config', { 'otel.toml': 'exporter = "otlp"' });
  await secret('gateway-tls', { 'tls.crt': 'CERT', 'tls.key': 'KEY' });
  await secret('zync', {
    DATABASE_URL: 'postgresql://zync:pw@pg.example.test:5432/zync',
    SECRET_KEY_BASE: 'k',
    ZYNC_AUTHENTICATION_TOKEN: 't',
  });
  const document = { ...SAMPLE_APIMANAGER, metadata: { ...SAMPLE_APIMANAGER.metadata, namespace: ns }, spec: EVERY_OPTION_SPEC };
  const rendered = renderDocument(document, { flavour: 'openshift', env: {} });
  if (!rendered.ok) throw new Error(`every-option APIManager does not render: ${JSON.stringify(rendered.errors)}`);
  await sleep(500);
  const before = await writesByKind(operator);
  const started = performance.now();
  await admin.create(document);
  await eventually(
    'every object created',
    async () => (await writesByKind(operator)).creates - before.creates >= rendered.result.objects.length,
    120_000,
    20,
  );
  const created = performance.now() - started;
  let last = -1;
  await eventually(
    'quiet',
    async () => {
      const now = (await writesByKind(operator)).total;
      const quiet = now === last;
      last = now;
      return quiet;
    },
    60_000,
    1500,
  );
  const quietWrites = await writesByKind(operator);
  const passes = sumMetric(await operator.metrics(), 'threescale_operator_reconcile_total', { kind: 'APIManager' });
  const cr = await admin.get(SAMPLE_APIMANAGER.apiVersion, 'APIManager', ns, SAMPLE_APIMANAGER.metadata.name);
  cr.metadata.annotations = { ...cr.metadata.annotations, 'bench/touch': '1' };
  await admin.update(cr);
  const passStarted = performance.now();
  await eventually(
    'pass',
    async () => sumMetric(await operator.metrics(), 'threescale_operator_reconcile_total', { kind: 'APIManager' }) > passes,
    30_000,
    5,
  );
  const passMs = performance.now() - passStarted;
  await sleep(1000);
  const noop = await writesByKind(operator);
  console.log(
    `APIManager with every 2.10–2.16 option: ${rendered.result.objects.length} objects, apply → all created ${created.toFixed(0)} ms; CR edit → reconcile pass done ${passMs.toFixed(0)} ms; writes on the no-op pass: ${noop.total - quietWrites.total}`,
  );
}

/** A DeploymentConfig installation, then the same operator told THREESCALE_WORKLOADS=Deployment. */
async function benchMigration(cluster: Cluster, admin: KubeClient): Promise<void> {
  const ns = await createNamespace(cluster.kubeConfig(), 'bench-dc-migration');
  const credentials = await operatorCredentials(cluster, ns);
  let operator = await startOperator({ kubeconfigPath: credentials, watchNamespace: ns, leaseNamespace: ns, name: 'bench-dc-operator' });
  await admin.create({ ...SAMPLE_APIMANAGER, metadata: { ...SAMPLE_APIMANAGER.metadata, namespace: ns } });
  const dcs = async () =>
    (
      await admin.list<KubeObject & { spec: { replicas?: number }; status?: { replicas?: number } }>(
        'apps.openshift.io/v1',
        'DeploymentConfig',
        ns,
      )
    ).items;
  await eventually('15 DeploymentConfigs', async () => (await dcs()).length === 15, 60_000, 200);
  await simulateOpenShiftReadiness(cluster, admin, ns);
  await operator.stop();
  const started = performance.now();
  operator = await startOperator({
    kubeconfigPath: credentials,
    watchNamespace: ns,
    leaseNamespace: ns,
    name: 'bench-deployment-operator',
    env: { THREESCALE_WORKLOADS: 'Deployment' },
  });
  await eventually(
    'all moved',
    async () => {
      const left = await dcs();
      for (const dc of left)
        if (dc.spec.replicas === 0 && (dc.status?.replicas ?? 0) > 0)
          await markDeploymentConfigAvailable(cluster.kubeConfig(), ns, dc.metadata.name);
      for (const job of (await admin.list<KubeObject & { status?: { succeeded?: number } }>('batch/v1', 'Job', ns)).items)
        if (!job.status?.succeeded) await completeJob(admin, ns, job.metadata.name);
      return left.length === 0 && (await admin.list('apps/v1', 'Deployment', ns)).items.length === 15;
    },
    120_000,
    100,
  );
  console.log(
    `DeploymentConfig → Deployment move of a running installation (15 components, DC controller played): ${((performance.now() - started) / 1000).toFixed(1)} s including operator start`,
  );
  await operator.stop();
}
