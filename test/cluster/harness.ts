/**
 * A real Kubernetes control plane for tests, without containers: etcd,
 * kube-apiserver (RBAC, service-account tokens, a serving certificate made at
 * start), kube-controller-manager and kube-scheduler, plus kwok playing the
 * kubelet of one node (scheduling.ts), each a child process on free loopback
 * ports, with a temp dir for certificates, tokens, kubeconfigs and etcd data.
 * Recipe: /work/shared/spec/test-cluster.md §2–§4 and §7.
 *
 * Every process goes through test/support/process.ts, so it is killed by pid
 * at the end of the run, on Ctrl-C and when a test fails; `stop()` ends them
 * in reverse order and removes the temp dir. A start that fails stops what it
 * started and throws with the tails of the component logs.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { startProcess, type ManagedProcess } from '../support/process.js';
import { freePorts } from '../support/ports.js';
import { findBinaries, type Binaries, type ComponentName } from './binaries.js';
import { makeSecrets, type ClusterSecrets } from './certs.js';
import { installCrds } from './crds.js';
import { tokenKubeConfig, writeKubeConfig } from './kubeconfig.js';
import { standInCrdPaths } from './openshift-types/sources.js';
import { stagesPath, startKwok, startScheduler } from './scheduling.js';

/**
 * Controllers we run (test-cluster.md §4). Pods run through kube-scheduler and kwok, so Deployments become
 * available; node-lifecycle controllers stay off (kwok's node has no heartbeat to judge), and so does the Job
 * controller: the tests play hook Jobs' outcomes themselves (fixture.ts completeJob).
 */
export const defaultControllers = [
  'garbage-collector-controller',
  'namespace-controller',
  'deployment-controller',
  'replicaset-controller',
  'serviceaccount-controller',
  'serviceaccount-token-controller',
  'root-ca-certificate-publisher-controller',
  'clusterrole-aggregation-controller',
] as const;

/**
 * Service ClusterIPs: a /16 (65k addresses) so benches with many installs (13 Services per APIManager) need no
 * extra ServiceCIDR.
 */
export const SERVICE_CLUSTER_IP_RANGE = '10.0.0.0/16';

export interface StartClusterOptions {
  /** Folder holding the control-plane binaries; default TC_BIN_DIR, else build.sh's cache. */
  binDir?: string;
  /** Folder holding kwok; default TC_KWOK_BIN_DIR, else test/kwok/build.sh's cache. */
  kwokBinDir?: string;
  /** CRD files installed before the controller-manager starts; default: the OpenShift stand-ins. */
  crdPaths?: string[];
  /** Controller names for kube-controller-manager; default `defaultControllers`. */
  controllers?: readonly string[];
  /** Timeouts in ms for each component to become ready. */
  etcdReadyMs?: number;
  apiserverReadyMs?: number;
  controllerManagerReadyMs?: number;
  schedulerReadyMs?: number;
  /** Until kwok has made its node Ready. */
  kwokReadyMs?: number;
  /** kwok's Stages file; default test/cluster/kwok-stages.yaml. */
  kwokStagesPath?: string;
}

export interface Cluster {
  /** Temp dir with certificates, tokens, kubeconfigs and etcd data; removed by stop(). */
  dir: string;
  /** `https://127.0.0.1:<port>` */
  server: string;
  /** Base64 PEM of the cluster CA (kubeconfig `certificate-authority-data`). */
  caData: string;
  caCertPath: string;
  /** Bearer token of `tc-admin` (group system:masters). Never log it. */
  adminToken: string;
  /** Admin kubeconfig file (holds the token; mode 0600). */
  kubeconfigPath: string;
  etcdUrl: string;
  /** A fresh admin KubeConfig. */
  kubeConfig(): KubeConfig;
  processes: Record<ComponentName, ManagedProcess>;
  /** Milliseconds from the start call until every component was ready (kwok's node Ready last). */
  startupMs: number;
  /** The last lines of each component's output. */
  logs(lines?: number): string;
  /** Resident memory of the cluster's processes, in bytes, summed (from /proc/<pid>/status). */
  rssBytes(): Promise<number>;
  /**
   * Stops kube-apiserver and starts it again with the same flags and port (etcd keeps the data); resolves once
   * its /readyz answers 200 again. Clients see refused connections and broken watches meanwhile.
   */
  restartApiServer(): Promise<void>;
  /** Throws, with the component logs, if a component has exited since the start. */
  assertRunning(): void;
  /** Stops kwok, the scheduler, the controller-manager, the API server and etcd (in that order) and removes `dir`. */
  stop(): Promise<void>;
}

type Started = Partial<Record<ComponentName, ManagedProcess>>;

export async function startCluster(options: StartClusterOptions = {}): Promise<Cluster> {
  // Free ports are probed then released, so another test process can grab one first: retry then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startClusterOnce(options);
    } catch (error) {
      if (attempt >= 3 || !/address already in use/.test((error as Error).message)) throw error;
    }
  }
}

async function startClusterOnce(options: StartClusterOptions): Promise<Cluster> {
  const startedAt = Date.now();
  const binaries = await findBinaries(options.binDir, options.kwokBinDir);
  const dir = await mkdtemp(join(tmpdir(), 'tc-'));
  // Remove the temp dir even if the run is interrupted before stop().
  const removeDirOnExit = (): void => {
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', removeDirOnExit);
  const started: Started = {};
  try {
    const secrets = await makeSecrets(dir);
    const [etcdPort, apiPort, schedulerPort] = await freePorts(3);
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    started.etcd = await startEtcd(binaries, dir, etcdUrl, options.etcdReadyMs ?? 20_000);
    const server = `https://127.0.0.1:${apiPort}`;
    const apiServer = (): Promise<ManagedProcess> =>
      startApiServer(binaries, dir, secrets, etcdUrl, apiPort, options.apiserverReadyMs ?? 60_000);
    started['kube-apiserver'] = await apiServer();
    const endpoint = { server, caData: Buffer.from(secrets.caCertPem).toString('base64') };
    const kubeConfig = (): KubeConfig => tokenKubeConfig(endpoint, 'tc-admin', secrets.adminToken);
    const kubeconfigPath = await writeKubeConfig(kubeConfig(), join(dir, 'admin.kubeconfig'));
    // Stand-in CRDs before the controller-manager: its garbage collector reads discovery at start
    // and only rescans periodically (test-cluster.md §6).
    await installCrds(kubeConfig(), options.crdPaths ?? (await standInCrdPaths()));
    const kcmKubeconfig = await writeKubeConfig(
      tokenKubeConfig(endpoint, 'system:kube-controller-manager', secrets.controllerManagerToken),
      join(dir, 'kcm.kubeconfig'),
    );
    started['kube-controller-manager'] = await startControllerManager(
      binaries,
      secrets,
      kcmKubeconfig,
      options.controllers ?? defaultControllers,
      kubeConfig(),
      options.controllerManagerReadyMs ?? 60_000,
    );
    started['kube-scheduler'] = await startScheduler(
      binaries,
      dir,
      secrets,
      kubeconfigPath,
      schedulerPort,
      options.schedulerReadyMs ?? 60_000,
    );
    started.kwok = await startKwok(
      binaries,
      dir,
      kubeconfigPath,
      kubeConfig(),
      options.kwokStagesPath ?? stagesPath(),
      options.kwokReadyMs ?? 60_000,
    );
    const processes = started as Record<ComponentName, ManagedProcess>;
    let stopped: Promise<void> | undefined;
    return {
      dir,
      server,
      caData: endpoint.caData,
      caCertPath: secrets.caCertPath,
      adminToken: secrets.adminToken,
      kubeconfigPath,
      etcdUrl,
      kubeConfig,
      processes,
      startupMs: Date.now() - startedAt,
      logs: (lines) => componentLogs(processes, lines),
      rssBytes: () => sumRss(Object.values(processes)),
      restartApiServer: async () => {
        if (stopped) throw new Error('test cluster: already stopped');
        // On SIGTERM kube-apiserver drains requests for up to a minute: after 3 s it is killed (etcd holds every
        // acknowledged write), which keeps a restart short enough for clients' lease timeouts (~10 s).
        await processes['kube-apiserver'].stop(3_000);
        processes['kube-apiserver'] = await apiServer();
      },
      assertRunning: () => {
        if (stopped) throw new Error('test cluster: already stopped');
        const dead = Object.entries(processes)
          .filter(([, p]) => p.hasExited)
          .map(([n, p]) => `${n} ${p.describeExit()}`);
        if (dead.length > 0) throw new Error(`test cluster: ${dead.join(', ')}\n--- component logs ---\n${componentLogs(processes, 40)}`);
      },
      stop: () => {
        stopped ??= stopAll(processes, dir).finally(() => process.removeListener('exit', removeDirOnExit));
        return stopped;
      },
    };
  } catch (error) {
    const tails = componentLogs(started, 40);
    await stopAll(started, dir);
    process.removeListener('exit', removeDirOnExit);
    throw new Error(`test cluster failed to start: ${(error as Error).message}${tails ? `\n--- component logs ---\n${tails}` : ''}`, {
      cause: error,
    });
  }
}

async function startEtcd(binaries: Binaries, dir: string, url: string, readyMs: number): Promise<ManagedProcess> {
  return startProcess({
    name: 'etcd',
    command: binaries.etcd,
    args: [
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${url}`,
      `--advertise-client-urls=${url}`,
      '--listen-peer-urls=http://127.0.0.1:0',
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    readyTimeoutMs: readyMs,
    pollIntervalMs: 100,
    ready: async () => {
      const res = await request(`${url}/health`);
      const body = await res.body.text();
      return res.statusCode === 200 && (JSON.parse(body) as { health?: string }).health === 'true';
    },
  });
}

async function startApiServer(
  binaries: Binaries,
  dir: string,
  secrets: ClusterSecrets,
  etcdUrl: string,
  port: number,
  readyMs: number,
): Promise<ManagedProcess> {
  const dispatcher = new Agent({ connect: { ca: secrets.caCertPem } });
  try {
    return await startProcess({
      name: 'kube-apiserver',
      command: binaries['kube-apiserver'],
      args: [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${port}`,
        '--advertise-address=127.0.0.1',
        `--tls-cert-file=${secrets.servingCertPath}`,
        `--tls-private-key-file=${secrets.servingKeyPath}`,
        `--token-auth-file=${secrets.tokenFilePath}`,
        '--authorization-mode=RBAC',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${secrets.serviceAccountKeyPath}`,
        `--service-account-signing-key-file=${secrets.serviceAccountKeyPath}`,
        `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
        '--allow-privileged=true',
        '--endpoint-reconciler-type=none',
        // This plugin taints every new node not-ready until the node-lifecycle controller sees it Ready. That
        // controller is not run (it would evict pods whenever kwok's lease renewals lag on a loaded machine), so
        // the taint would keep kwok's node unschedulable for ever.
        '--disable-admission-plugins=TaintNodesByCondition',
        '--profiling=false',
        `--cert-dir=${join(dir, 'apiserver-certs')}`,
      ],
      readyTimeoutMs: readyMs,
      pollIntervalMs: 250,
      ready: async () => {
        const res = await request(`https://127.0.0.1:${port}/readyz`, {
          dispatcher,
          headers: { authorization: `Bearer ${secrets.adminToken}` },
        });
        await res.body.dump();
        return res.statusCode === 200;
      },
    });
  } finally {
    await dispatcher.close();
  }
}

async function startControllerManager(
  binaries: Binaries,
  secrets: ClusterSecrets,
  kubeconfig: string,
  controllers: readonly string[],
  admin: KubeConfig,
  readyMs: number,
): Promise<ManagedProcess> {
  const core = admin.makeApiClient(CoreV1Api);
  return startProcess({
    name: 'kube-controller-manager',
    command: binaries['kube-controller-manager'],
    args: [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      '--secure-port=0',
      '--leader-elect=false',
      '--use-service-account-credentials=true',
      `--controllers=${controllers.join(',')}`,
      `--service-account-private-key-file=${secrets.serviceAccountKeyPath}`,
      `--root-ca-file=${secrets.caCertPath}`,
      '--kube-api-qps=100',
      '--kube-api-burst=200',
    ],
    readyTimeoutMs: readyMs,
    pollIntervalMs: 200,
    // The service-account controller creates `default` in each namespace: seeing it proves
    // the controller-manager is up and authorised.
    ready: async () => {
      await core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' });
      return true;
    },
  });
}

function componentLogs(processes: Started, lines = 30): string {
  return Object.entries(processes)
    .map(([name, p]) => {
      const tail = p.logs().trimEnd().split('\n').slice(-lines).join('\n');
      return `[${name}] (${p.describeExit()})\n${tail}`;
    })
    .join('\n');
}

async function stopAll(processes: Started, dir: string): Promise<void> {
  // Reverse start order: clients of the API server first, etcd last.
  for (const name of ['kwok', 'kube-scheduler', 'kube-controller-manager', 'kube-apiserver', 'etcd'] as const) {
    await processes[name]?.stop(10_000);
  }
  await rm(dir, { recursive: true, force: true });
}

async function sumRss(processes: ManagedProcess[]): Promise<number> {
  let total = 0;
  for (const p of processes) {
    if (p.pid === undefined || p.hasExited) continue;
    const status = await readFile(`/proc/${p.pid}/status`, 'utf8').catch(() => '');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
    if (kb) total += Number(kb[1]) * 1024;
  }
  return total;
}

/** Waits until `check` resolves true (errors count as false); throws with `what` after `timeoutMs`. */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
}
