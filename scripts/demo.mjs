// `make demo`: the newcomer's first run, end to end on this machine.
//   1. builds (or finds cached) kube-apiserver, kube-controller-manager, kube-scheduler and etcd
//      (test/cluster/build.sh) and kwok (test/kwok/build.sh)
//   2. starts a local control plane (the test harness), installs the CRDs and the RBAC of manifests/deploy
//   3. runs the operator as its own process under its ServiceAccount (TokenRequest token)
//   4. applies the sample APIManager and an APIcast, waits for Available. Pods are REAL as far as Kubernetes
//      goes: kube-scheduler binds them to a kwok node and kwok reports them Running/Ready (no containers run).
//      This cluster has no router, DeploymentConfig controller or zync-que, so those statuses are SIMULATED by
//      the stand-ins of test/cluster/openshift-stand-ins.ts, and the demo prints which came from where
//   5. prints what was created, then starts the gateway built in this repo with the configuration the APIcast CR
//      resolves to (its Deployment's env and referenced secret) and sends one request through it to the echo API.
// Ctrl-C stops everything. Each step prints a progress line; a failing step exits non-zero with its reason.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (path) => pathToFileURL(join(root, 'dist', path)).href;
const step = (message) => console.log(`==> ${message}`);
const fail = (message) => {
  console.error(`demo failed: ${message}`);
  process.exitCode = 1;
};

async function main() {
  if (!existsSync(join(root, 'dist/test/cluster/harness.js')) || !existsSync(join(root, 'dist/operator/src/cli.js'))) {
    throw new Error('dist/ is missing: run `make build` (or `make demo`, which builds first)');
  }
  step('building the test control plane binaries and kwok (cached after the first run; a cold build takes 15-30 min)');
  const buildDir = (script) => {
    const build = spawnSync('bash', [join(root, script)], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (build.error || build.status !== 0)
      throw new Error(`${script} failed (${build.error?.message ?? `exit ${build.status}`}); is Go installed? see the message above`);
    return build.stdout.trim().split('\n').at(-1);
  };
  process.env.TC_BIN_DIR ??= buildDir('test/cluster/build.sh');
  process.env.TC_KWOK_BIN_DIR ??= buildDir('test/kwok/build.sh');

  const { startCluster } = await import(dist('test/cluster/harness.js'));
  const { createNamespace } = await import(dist('test/cluster/namespaces.js'));
  const { startProcess, stopAll } = await import(dist('test/support/process.js'));
  const { freePort } = await import(dist('test/support/ports.js'));
  const fixture = await import(dist('test/operator/fixture.js'));
  const { KubeClient } = await import(dist('operator/src/controller/kube/client.js'));
  const { SAMPLE_APIMANAGER } = await import(dist('operator/src/deploy/samples.js'));

  step('starting a local Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok)');
  const cluster = await startCluster();
  let gateway;
  const shutdown = async () => {
    step('stopping the gateway, the operator and the cluster');
    await gateway?.stop().catch(() => {});
    await stopAll().catch(() => {});
    await cluster.stop().catch(() => {});
  };
  process.once('SIGINT', () => {
    void shutdown().then(() => process.exit(0));
  });
  try {
    step(
      `cluster ready at ${cluster.server} in ${(cluster.startupMs / 1000).toFixed(1)} s; installing the CRDs and the RBAC of manifests/deploy/namespaced`,
    );
    await fixture.installOperatorCrds(cluster);
    const admin = await KubeClient.fromKubeConfig(cluster.kubeConfig());
    const namespace = await createNamespace(cluster.kubeConfig(), '3scale-demo');
    const kubeconfigPath = await fixture.operatorCredentials(cluster, namespace);

    step(`running the operator (node bin/threescale-operator.js run) in namespace ${namespace} as ServiceAccount 3scale-operator`);
    const operator = await fixture.startOperator({
      kubeconfigPath,
      watchNamespace: namespace,
      leaseNamespace: namespace,
      name: 'demo-operator',
    });

    step('applying the sample APIManager (wildcardDomain example.com) and an APIcast with an embedded configuration');
    const echoPort = await freePort();
    const config = JSON.parse(await readFile(join(root, 'gateway/examples/echo-config.json'), 'utf8'));
    for (const service of config.services) service.proxy.api_backend = `http://127.0.0.1:${echoPort}`;
    await admin.create({ ...SAMPLE_APIMANAGER, metadata: { ...SAMPLE_APIMANAGER.metadata, namespace } });
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'demo-gateway-config', namespace },
      stringData: { 'config.json': JSON.stringify(config) },
    });
    await admin.create({
      apiVersion: 'apps.3scale.net/v1alpha1',
      kind: 'APIcast',
      metadata: { name: 'demo', namespace },
      spec: { embeddedConfigurationSecretRef: { name: 'demo-gateway-config' }, configurationLoadMode: 'boot', logLevel: 'notice' },
    });
    await fixture.eventually(
      'the operator created the workloads',
      async () => (await admin.list('apps.openshift.io/v1', 'DeploymentConfig', namespace)).items.length >= 15,
      120_000,
      500,
    );

    step('waiting for Available (SIMULATED: DC rollouts, zync-que routes and router admission; REAL: pods via kube-scheduler + kwok)');
    const simulated = await fixture.simulateOpenShiftReadiness(cluster, admin, namespace, '3scale', 'example.com');
    await fixture.eventually(
      'APIManager Available',
      async () =>
        fixture.condition(
          await admin.get('apps.3scale.net/v1alpha1', 'APIManager', namespace, SAMPLE_APIMANAGER.metadata.name),
          'Available',
        )?.status === 'True',
      90_000,
      500,
    );
    await fixture.eventually(
      'APIcast Available',
      async () =>
        fixture.condition(await admin.get('apps.3scale.net/v1alpha1', 'APIcast', namespace, 'demo'), 'Available')?.status === 'True',
      90_000,
      500,
    );
    const real = (await admin.list('v1', 'Pod', namespace)).items.map(
      (pod) => `Pod/${pod.metadata.name} on ${pod.spec.nodeName} (kube-scheduler), ${pod.status?.phase} (kwok)`,
    );

    step('created by the operator:');
    const kinds = [
      ['apps.openshift.io/v1', 'DeploymentConfig'],
      ['apps/v1', 'Deployment'],
      ['v1', 'Service'],
      ['route.openshift.io/v1', 'Route'],
      ['networking.k8s.io/v1', 'Ingress'],
      ['image.openshift.io/v1', 'ImageStream'],
      ['v1', 'Secret'],
      ['v1', 'ConfigMap'],
      ['v1', 'PersistentVolumeClaim'],
      ['v1', 'ServiceAccount'],
      ['rbac.authorization.k8s.io/v1', 'Role'],
      ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
    ];
    for (const [apiVersion, kind] of kinds) {
      for (const object of (await admin.list(apiVersion, kind, namespace)).items) {
        const managed = object.metadata.ownerReferences?.length || kind === 'PersistentVolumeClaim';
        if (!managed && kind !== 'Route') continue;
        const status = object.status ?? {};
        const ready =
          kind === 'DeploymentConfig' || kind === 'Deployment'
            ? `ready ${status.readyReplicas ?? 0}/${object.spec.replicas}`
            : kind === 'Route'
              ? status.ingress?.length
                ? 'admitted'
                : 'not admitted'
              : '';
        console.log(
          `    ${kind.padEnd(22)} ${object.metadata.name.padEnd(40)} ${ready}${object.metadata.ownerReferences?.length ? '' : kind === 'Route' ? '  (created by the demo, as zync-que would)' : '  (no owner: survives the CR)'}`,
        );
      }
    }
    console.log(
      `  statuses from real components (${real.length} pod${real.length === 1 ? '' : 's'}; the Deployment's availability from the deployment controller):`,
    );
    for (const line of real) console.log(`    - ${line}`);
    console.log(`  simulated statuses, by the OpenShift stand-ins (${simulated.length}):`);
    for (const line of [...new Set(simulated)]) console.log(`    - ${line}`);

    step('starting the gateway of this repo with the configuration the APIcast CR resolves to');
    const deployment = await admin.get('apps/v1', 'Deployment', namespace, 'apicast-demo');
    const container = deployment.spec.template.spec.containers[0];
    const dir = await mkdtemp(join(tmpdir(), 'demo-gateway-'));
    const env = {};
    for (const entry of container.env ?? []) {
      if (entry.value !== undefined) env[entry.name] = entry.value;
      else if (entry.valueFrom?.secretKeyRef) {
        const secret = await admin.get('v1', 'Secret', namespace, entry.valueFrom.secretKeyRef.name);
        env[entry.name] = Buffer.from(secret.data[entry.valueFrom.secretKeyRef.key], 'base64').toString();
      }
    }
    const volume = deployment.spec.template.spec.volumes.find((v) => v.name === 'gateway-configuration-volume');
    const configSecret = await admin.get('v1', 'Secret', namespace, volume.secret.secretName);
    const configFile = join(dir, 'config.json');
    await writeFile(configFile, Buffer.from(configSecret.data['config.json'], 'base64'));
    env.THREESCALE_CONFIG_FILE = configFile; // the pod mounts it at /tmp/gateway-configuration-volume/config.json
    const [httpPort, managementPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
    console.log(`    env from the Deployment: ${Object.keys(env).join(', ')}`);
    gateway = await startProcess({
      name: 'gateway',
      command: process.execPath,
      args: [join(root, 'bin/apicast.js')],
      env: {
        ...process.env,
        ...env,
        APICAST_HTTP_PORT: String(httpPort),
        APICAST_MANAGEMENT_PORT: String(managementPort),
        APICAST_METRICS_PORT: String(metricsPort),
        APICAST_ECHO_PORT: String(echoPort),
      },
      ready: async () => (await fetch(`http://127.0.0.1:${managementPort}/status/ready`)).status === 200,
      readyTimeoutMs: 20_000,
    });
    const url = `http://localhost:${httpPort}/hello?user_key=demo`;
    step(`GET ${url}`);
    const response = await fetch(url);
    console.log(`HTTP ${response.status}`);
    console.log(await response.text());
    if (response.status !== 200) throw new Error(`the request through the gateway answered ${response.status}`);
    step(
      `everything keeps running; try:  curl -i "${url}"   — operator metrics on http://127.0.0.1:${operator.healthPort}/metrics   (Ctrl-C to stop)`,
    );
    for (;;) await sleep(60_000);
  } catch (error) {
    await shutdown();
    throw error;
  }
}

main().catch((error) => {
  fail(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
