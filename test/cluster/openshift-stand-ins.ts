/**
 * Stand-ins for the OpenShift components the test cluster does not run, named as such so no test mistakes their
 * output for a real controller's. Where each status on the test cluster comes from:
 *
 *   real (kube-scheduler + kwok + kube-controller-manager, see scheduling.ts):
 *     Pod spec.nodeName / PodScheduled      kube-scheduler binds the pod to kwok's node
 *     Pod phase Running, Ready conditions    kwok, playing the node's kubelet (kwok-stages.yaml)
 *     Node Ready                             kwok
 *     ReplicaSet / Deployment status         the replicaset and deployment controllers, from those pods
 *
 *   stand-in (this file; written by test code, as the admin, never by the code under test):
 *     DeploymentConfig status                markDeploymentConfigAvailable: OpenShift's DC controller would roll
 *                                            out ReplicationControllers; no kubelet-free tool provides it
 *     Route status.ingress (Admitted)        admitRoute: an OpenShift router admits Routes; none runs here
 *     zync's Routes (the objects)            createZyncRoutes: zync-que creates them after system syncs; not run
 *
 *   stand-in elsewhere: hook Job outcomes (test/operator/fixture.ts completeJob, kubernetes-flavour.test.ts
 *   failJob), since the Job
 *   controller is not started.
 */
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { statusCode } from './errors.js';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

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
      {
        type: 'Available',
        status: 'True',
        lastUpdateTime: now,
        lastTransitionTime: now,
        message: 'Deployment config has minimum availability.',
      },
      {
        type: 'Progressing',
        status: 'True',
        lastUpdateTime: now,
        lastTransitionTime: now,
        reason: 'NewReplicationControllerAvailable',
        message: `replication controller "${name}-${latestVersion}" successfully rolled out`,
      },
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
    ingress: [
      {
        host,
        routerName: 'default',
        routerCanonicalHostname: `router-default.${defaultDomain}`,
        wildcardPolicy: 'None',
        conditions: [{ type: 'Admitted', status: 'True', lastTransitionTime: new Date().toISOString() }],
      },
    ],
  };
  await api.patchNamespacedCustomObjectStatus({ ...route, namespace, name, body: { status } }, mergePatch);
}

/**
 * Creates the Routes zync-que creates on OpenShift once system has synced its tenant (master, the tenant's admin
 * and developer portals, the two APIcast gateways), each pointing at its Service. zync-que is not run here: it
 * needs system, Sidekiq and a router. Routes that exist already are kept. Returns the names it created.
 */
export async function createZyncRoutes(kc: KubeConfig, namespace: string, tenant = '3scale', domain = 'example.test'): Promise<string[]> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const routes: [name: string, host: string, service: string][] = [
    ['zync-3scale-master', `master.${domain}`, 'system-master'],
    ['zync-3scale-provider', `${tenant}-admin.${domain}`, 'system-provider'],
    ['zync-3scale-developer', `${tenant}.${domain}`, 'system-developer'],
    ['zync-3scale-api-staging', `api-${tenant}-apicast-staging.${domain}`, 'apicast-staging'],
    ['zync-3scale-api-production', `api-${tenant}-apicast-production.${domain}`, 'apicast-production'],
  ];
  const created: string[] = [];
  for (const [name, host, service] of routes) {
    const body = {
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: { name, namespace },
      spec: { host, to: { kind: 'Service', name: service } },
    };
    try {
      await api.createNamespacedCustomObject({ ...route, namespace, body });
      created.push(name);
    } catch (error) {
      if (statusCode(error) !== 409) throw error;
    }
  }
  return created;
}
