/**
 * The part of the test cluster that runs pods, without containers: the real kube-scheduler binds pods to a node,
 * and kwok (sigs.k8s.io/kwok) plays that node's kubelet, moving node and pods through the Stages in
 * kwok-stages.yaml (node Ready; pods Running with every container ready; deleted pods removed). The deployment
 * and replicaset controllers of kube-controller-manager then compute Deployment availability as on any cluster.
 * No test code writes pod or node status.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { CoreV1Api, type KubeConfig, type V1Node } from '@kubernetes/client-node';
import { startProcess, type ManagedProcess } from '../support/process.js';
import type { Binaries } from './binaries.js';
import type { ClusterSecrets } from './certs.js';
import { statusCode } from './errors.js';
import { repoRoot } from './openshift-types/sources.js';

/** The node kwok manages; every pod of the cluster lands on it. */
export const kwokNodeName = 'kwok-node-0';
/** The annotation kwok selects its nodes by (`--manage-nodes-with-annotation-selector`), as kwok's docs name it. */
export const kwokNodeAnnotation = { key: 'kwok.x-k8s.io/node', value: 'fake' } as const;
/** Pod IPs kwok hands out: apart from the Service range (10.0.0.0/16) so a pod IP is never mistaken for a ClusterIP. */
export const POD_CIDR = '10.244.0.0/16';
export const stagesPath = (): string => join(repoRoot(), 'test', 'cluster', 'kwok-stages.yaml');

/**
 * kube-scheduler's configuration (written to the cluster dir: it must name the kubeconfig, which `--config`
 * makes the scheduler read from the file rather than from flags).
 *
 * The test cluster has no storage: no provisioner and no PV binder, so every PersistentVolumeClaim stays Pending.
 * The default profile would keep every pod that mounts one Pending too (VolumeBinding: "pod has unbound immediate
 * PersistentVolumeClaims"; VolumeZone: "had no pv name and storageClass name"). Those two plugins are off, and only
 * those: the rest of the default profile (resources, affinity, taints, spreading) schedules as on any cluster.
 * Pods that claim storage then run on kwok's node with their claims still Pending.
 */
export function schedulerConfig(kubeconfig: string): Record<string, unknown> {
  return {
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    clientConnection: { kubeconfig, qps: 100, burst: 200 },
    // One scheduler per cluster: no lease to wait for at start.
    leaderElection: { leaderElect: false },
    enableProfiling: false,
    profiles: [
      { schedulerName: 'default-scheduler', plugins: { multiPoint: { disabled: [{ name: 'VolumeBinding' }, { name: 'VolumeZone' }] } } },
    ],
  };
}

export async function startScheduler(
  binaries: Binaries,
  dir: string,
  secrets: ClusterSecrets,
  kubeconfig: string,
  port: number,
  readyMs: number,
): Promise<ManagedProcess> {
  const configPath = join(dir, 'kube-scheduler.json');
  await writeFile(configPath, JSON.stringify(schedulerConfig(kubeconfig), null, 2));
  // /readyz is served with the cluster's 127.0.0.1 certificate so the check verifies it against the cluster CA.
  const dispatcher = new Agent({ connect: { ca: secrets.caCertPem } });
  try {
    return await startProcess({
      name: 'kube-scheduler',
      command: binaries['kube-scheduler'],
      args: [
        `--config=${configPath}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${port}`,
        `--tls-cert-file=${secrets.servingCertPath}`,
        `--tls-private-key-file=${secrets.servingKeyPath}`,
        `--cert-dir=${join(dir, 'scheduler-certs')}`,
      ],
      readyTimeoutMs: readyMs,
      pollIntervalMs: 200,
      // Ready once its informers have synced (the readyz checks include that): from then on it binds new pods.
      ready: async () => {
        const res = await request(`https://127.0.0.1:${port}/readyz`, { dispatcher });
        await res.body.dump();
        return res.statusCode === 200;
      },
    });
  } finally {
    await dispatcher.close();
  }
}

/**
 * Creates the kwok node (once) and starts kwok; ready when kwok has written the node's Ready condition, which
 * proves it watches the cluster with working credentials and applies our Stages.
 */
export async function startKwok(
  binaries: Binaries,
  dir: string,
  kubeconfig: string,
  admin: KubeConfig,
  stages: string,
  readyMs: number,
): Promise<ManagedProcess> {
  const core = admin.makeApiClient(CoreV1Api);
  await createKwokNode(core);
  return startProcess({
    name: 'kwok',
    command: binaries.kwok,
    args: [
      `--kubeconfig=${kubeconfig}`,
      `--config=${stages}`,
      `--manage-nodes-with-annotation-selector=${kwokNodeAnnotation.key}=${kwokNodeAnnotation.value}`,
      `--cidr=${POD_CIDR}`,
      '--node-ip=127.0.0.1',
    ],
    // kwok also reads ~/.kwok/kwok.yaml when it exists: a HOME of our own keeps a developer's file out.
    env: { ...process.env, HOME: dir },
    readyTimeoutMs: readyMs,
    pollIntervalMs: 200,
    ready: async () => isReady(await core.readNode({ name: kwokNodeName })),
  });
}

/**
 * No taint: kwok's docs taint fake nodes so real workloads stay on real nodes, but this cluster has no other
 * node, and a taint would make every pod the operator creates need a toleration it would never have elsewhere.
 */
async function createKwokNode(core: CoreV1Api): Promise<void> {
  const node: V1Node = {
    metadata: {
      name: kwokNodeName,
      annotations: { [kwokNodeAnnotation.key]: kwokNodeAnnotation.value },
      labels: { 'kubernetes.io/hostname': kwokNodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
    },
  };
  try {
    await core.createNode({ body: node });
  } catch (error) {
    if (statusCode(error) !== 409) throw error;
  }
}

function isReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
