/**
 * The test cluster has no scheduler, no kubelet, no OpenShift controllers and
 * no router: pods stay Pending, DeploymentConfigs never roll out, Routes are
 * never admitted. These helpers play those parts by writing what the missing
 * components would write (bindings and status subresources), so the operator's
 * status logic can be tested against a real API server. Only the admin does
 * this; the code under test never calls it.
 */
import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { statusCode } from './errors.js';

export const fakeNodeName = 'tc-node';
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Creates the Node pods get bound to (once), with a Ready condition. */
export async function ensureFakeNode(kc: KubeConfig): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  try {
    await core.createNode({ body: { metadata: { name: fakeNodeName, labels: { 'kubernetes.io/hostname': fakeNodeName } } } });
  } catch (error) {
    if (statusCode(error) !== 409) throw error;
    return;
  }
  const now = new Date().toISOString();
  await core.patchNodeStatus({
    name: fakeNodeName,
    body: { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'fake node of the test cluster', lastHeartbeatTime: now, lastTransitionTime: now }] } },
  }, mergePatch);
}

/**
 * Binds every unbound pod of `namespace` (optionally matching `labelSelector`)
 * to the fake node and marks it Running and Ready, as scheduler + kubelet
 * would. Returns the names of the pods it made ready.
 */
export async function makePodsReady(kc: KubeConfig, namespace: string, labelSelector?: string): Promise<string[]> {
  await ensureFakeNode(kc);
  const core = kc.makeApiClient(CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace, ...(labelSelector ? { labelSelector } : {}) });
  const made: string[] = [];
  for (const pod of pods.items) {
    const name = pod.metadata!.name!;
    if (pod.metadata?.deletionTimestamp) continue;
    if (!pod.spec?.nodeName) {
      await core.createNamespacedPodBinding({
        name,
        namespace,
        body: { metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: fakeNodeName } },
      });
    }
    await core.patchNamespacedPodStatus({ name, namespace, body: { status: readyStatus(pod) } }, mergePatch);
    made.push(name);
  }
  return made;
}

function readyStatus(pod: V1Pod): Record<string, unknown> {
  const now = new Date().toISOString();
  const condition = (type: string): Record<string, string> => ({ type, status: 'True', lastTransitionTime: now });
  const running = (c: { name: string; image?: string }): Record<string, unknown> => ({
    name: c.name,
    image: c.image ?? '',
    imageID: '',
    ready: true,
    started: true,
    restartCount: 0,
    state: { running: { startedAt: now } },
  });
  return {
    phase: 'Running',
    hostIP: '127.0.0.1',
    podIP: '127.0.0.1',
    startTime: now,
    conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map(condition),
    containerStatuses: (pod.spec?.containers ?? []).map(running),
    initContainerStatuses: (pod.spec?.initContainers ?? []).map((c) => ({
      ...running(c), ready: true, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } },
    })),
  };
}

const dc = { group: 'apps.openshift.io', version: 'v1', plural: 'deploymentconfigs' };
const route = { group: 'route.openshift.io', version: 'v1', plural: 'routes' };

/**
 * Writes the status OpenShift writes once a DeploymentConfig's latest version
 * has rolled out: every desired replica available, Available and Progressing
 * (NewReplicationControllerAvailable) True.
 */
export async function markDeploymentConfigAvailable(kc: KubeConfig, namespace: string, name: string): Promise<void> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const current = (await api.getNamespacedCustomObject({ ...dc, namespace, name })) as {
    metadata: { generation?: number };
    spec: { replicas?: number };
    status?: { latestVersion?: number };
  };
  const replicas = current.spec.replicas ?? 1;
  const latestVersion = Math.max(current.status?.latestVersion ?? 0, 1);
  const now = new Date().toISOString();
  const status = {
    latestVersion,
    observedGeneration: current.metadata.generation ?? 1,
    replicas,
    updatedReplicas: replicas,
    availableReplicas: replicas,
    readyReplicas: replicas,
    unavailableReplicas: 0,
    details: { message: 'config change', causes: [{ type: 'ConfigChange' }] },
    conditions: [
      { type: 'Available', status: 'True', lastUpdateTime: now, lastTransitionTime: now, message: 'Deployment config has minimum availability.' },
      { type: 'Progressing', status: 'True', lastUpdateTime: now, lastTransitionTime: now, reason: 'NewReplicationControllerAvailable', message: `replication controller "${name}-${latestVersion}" successfully rolled out` },
    ],
  };
  await api.patchNamespacedCustomObjectStatus({ ...dc, namespace, name, body: { status } }, mergePatch);
}

/** Writes the status a router writes when it admits a Route (host = spec.host, or `<name>-<ns>.<defaultDomain>`). */
export async function admitRoute(kc: KubeConfig, namespace: string, name: string, defaultDomain = 'apps.tc.test'): Promise<void> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const current = (await api.getNamespacedCustomObject({ ...route, namespace, name })) as { spec: { host?: string } };
  const host = current.spec.host || `${name}-${namespace}.${defaultDomain}`;
  const status = {
    ingress: [{
      host,
      routerName: 'default',
      routerCanonicalHostname: `router-default.${defaultDomain}`,
      wildcardPolicy: 'None',
      conditions: [{ type: 'Admitted', status: 'True', lastTransitionTime: new Date().toISOString() }],
    }],
  };
  await api.patchNamespacedCustomObjectStatus({ ...route, namespace, name, body: { status } }, mergePatch);
}
