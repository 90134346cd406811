/**
 * Smoke tests proving the test cluster is a real Kubernetes control plane:
 * storage, controllers, CRD validation, garbage collection, RBAC with
 * ServiceAccount tokens, watches. All through @kubernetes/client-node.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import {
  AppsV1Api,
  AuthenticationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  RbacAuthorizationV1Api,
  VersionApi,
  Watch,
  type KubeConfig,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { eventually, type Cluster } from './harness.js';
import { clusterStartTimeoutMs, useCluster } from './shared.js';
import { namespacePerTest } from './namespaces.js';
import { tokenFor } from './tokens.js';
import { tokenKubeConfig } from './kubeconfig.js';
import { statusCode, statusMessage } from './errors.js';
import { admitRoute, markDeploymentConfigAvailable } from './openshift-stand-ins.js';
import { kwokNodeName } from './scheduling.js';
import { servedGroups } from './crds.js';
import { applyManifestFiles } from './apply.js';

const dc = { group: 'apps.openshift.io', version: 'v1', plural: 'deploymentconfigs' };
const route = { group: 'route.openshift.io', version: 'v1', plural: 'routes' };
const imageStream = { group: 'image.openshift.io', version: 'v1', plural: 'imagestreams' };

/** GET /apis/<group>/<version> (the resource list of one group version) with the admin credentials. */
class DiscoveryClient {
  constructor(private readonly kc: KubeConfig) {}
  async list(groupVersion: string): Promise<unknown> {
    const cluster = this.kc.getCurrentCluster()!;
    const dispatcher = new Agent({ connect: { ca: Buffer.from(cluster.caData!, 'base64').toString() } });
    try {
      const res = await request(`${cluster.server}/apis/${groupVersion}`, {
        dispatcher,
        headers: { authorization: `Bearer ${this.kc.getCurrentUser()!.token}` },
      });
      assert.equal(res.statusCode, 200);
      return await res.body.json();
    } finally {
      await dispatcher.close();
    }
  }
}

async function rejection(promise: Promise<unknown>): Promise<{ code: number | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { code: statusCode(error), message: statusMessage(error) };
  }
  assert.fail('expected the API server to refuse the request');
}

describe('test cluster: a real Kubernetes control plane', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  let kc: KubeConfig;

  before(async function () {
    this.timeout(clusterStartTimeoutMs);
    cluster = await useCluster();
    kc = cluster.kubeConfig();
  });

  const ns = namespacePerTest(() => kc, 'smoke');

  it('serves the pinned Kubernetes version over TLS and refuses an unknown token', async () => {
    const version = await kc.makeApiClient(VersionApi).getCode();
    assert.equal(version.gitVersion, 'v1.36.3');
    const stranger = tokenKubeConfig({ server: cluster.server, caData: cluster.caData }, 'stranger', 'not-a-token');
    const refused = await rejection(stranger.makeApiClient(CoreV1Api).listNamespace());
    assert.equal(refused.code, 401);
  });

  it('serves Service ClusterIPs from a /16 (room for many installs without an extra ServiceCIDR)', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    // 10.0.200.5 lies outside the old /24: only a wide range accepts it.
    const service = await core.createNamespacedService({
      namespace: ns.name,
      body: { metadata: { name: 'wide' }, spec: { clusterIP: '10.0.200.5', ports: [{ port: 80 }] } },
    });
    assert.equal(service.spec?.clusterIP, '10.0.200.5');
  });

  it('restartApiServer(): a new kube-apiserver process, ready, with the stored data and the same credentials', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: 'survives' }, data: { k: 'v' } } });
    const before = cluster.processes['kube-apiserver'].pid;
    await cluster.restartApiServer();
    assert.notEqual(cluster.processes['kube-apiserver'].pid, before);
    assert.equal(cluster.processes['kube-apiserver'].hasExited, false);
    // Ready means answering at once, without retries.
    const read = await core.readNamespacedConfigMap({ namespace: ns.name, name: 'survives' });
    assert.equal(read.data?.k, 'v');
    cluster.assertRunning();
  });

  it('stores a Secret in a fresh namespace and reads it back', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name: 'system-seed' }, stringData: { ADMIN_PASSWORD: 's3cret' } },
    });
    const secret = await core.readNamespacedSecret({ namespace: ns.name, name: 'system-seed' });
    assert.equal(Buffer.from(secret.data!.ADMIN_PASSWORD, 'base64').toString(), 's3cret');
  });

  it('runs the deployment and replicaset controllers; the scheduler and kwok run the pods, so the Deployment becomes available', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const labels = { deploymentConfig: 'apicast' };
    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: {
        metadata: { name: 'apicast' },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'apicast', image: 'quay.io/threescale-ts/apicast:test' }] } },
        },
      },
    });
    let replicaSetName = '';
    await eventually('the controller-manager to create a ReplicaSet owned by the Deployment', async () => {
      const sets = await apps.listNamespacedReplicaSet({ namespace: ns.name });
      const owned = sets.items.find((rs) => rs.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === 'apicast'));
      replicaSetName = owned?.metadata?.name ?? '';
      return owned !== undefined;
    });
    const core = kc.makeApiClient(CoreV1Api);
    await eventually(
      'the ReplicaSet controller to create 2 pods',
      async () => (await core.listNamespacedPod({ namespace: ns.name })).items.length === 2,
    );
    // No test code writes pod status: the binding is kube-scheduler's, Running/Ready is kwok's, the
    // availability is the deployment controller's.
    await eventually('the Deployment to report 2 available replicas', async () => {
      const d = await apps.readNamespacedDeployment({ namespace: ns.name, name: 'apicast' });
      return d.status?.availableReplicas === 2;
    });
    const pods = (await core.listNamespacedPod({ namespace: ns.name })).items;
    assert.ok(pods.every((p) => p.metadata?.ownerReferences?.[0]?.name === replicaSetName));
    assert.deepEqual(
      pods.map((p) => [p.spec?.nodeName, p.status?.phase]),
      [
        [kwokNodeName, 'Running'],
        [kwokNodeName, 'Running'],
      ],
    );
  });

  it('lists the OpenShift stand-ins in discovery with their plurals, short names, scope and subresources', async () => {
    const groups = await servedGroups(kc);
    for (const g of ['apps.openshift.io', 'route.openshift.io', 'image.openshift.io'])
      assert.ok(groups.includes(g), `${g} in ${groups.join(',')}`);
    assert.ok(!groups.includes('template.openshift.io'), 'the Template schema is not installed');
    const resources = async (groupVersion: string): Promise<string[]> => {
      const list = (await new DiscoveryClient(kc).list(groupVersion)) as {
        resources: Array<{ name: string; kind: string; namespaced: boolean; shortNames?: string[] }>;
      };
      return list.resources
        .map((r) => `${r.name} ${r.kind} ${r.namespaced ? 'Namespaced' : 'Cluster'} ${(r.shortNames ?? []).join(',')}`.trim())
        .sort();
    };
    assert.deepEqual(await resources('apps.openshift.io/v1'), [
      'deploymentconfigs DeploymentConfig Namespaced dc',
      'deploymentconfigs/scale Scale Namespaced',
      'deploymentconfigs/status DeploymentConfig Namespaced',
    ]);
    assert.deepEqual(await resources('image.openshift.io/v1'), [
      'imagestreams ImageStream Namespaced is',
      'imagestreams/status ImageStream Namespaced',
    ]);
    assert.deepEqual(await resources('route.openshift.io/v1'), ['routes Route Namespaced', 'routes/status Route Namespaced']);
  });

  it('serves DeploymentConfig, Route and ImageStream with OpenShift defaults and the scale subresource', async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const createdDc = (await custom.createNamespacedCustomObject({
      ...dc,
      namespace: ns.name,
      body: {
        apiVersion: 'apps.openshift.io/v1',
        kind: 'DeploymentConfig',
        metadata: { name: 'backend-listener' },
        spec: {
          replicas: 3,
          selector: { deploymentConfig: 'backend-listener' },
          strategy: {},
          template: { spec: { containers: [{ name: 'l', image: 'amp-backend:latest' }] } },
        },
      },
    })) as { spec: { triggers: unknown; strategy: unknown } };
    assert.deepEqual(createdDc.spec.triggers, [{ type: 'ConfigChange' }], 'omitted triggers default to ConfigChange');
    assert.deepEqual(createdDc.spec.strategy, { type: 'Rolling' });
    const scale = (await custom.getNamespacedCustomObjectScale({ ...dc, namespace: ns.name, name: 'backend-listener' })) as {
      spec: { replicas: number };
    };
    assert.equal(scale.spec.replicas, 3);

    const createdRoute = (await custom.createNamespacedCustomObject({
      ...route,
      namespace: ns.name,
      body: {
        apiVersion: 'route.openshift.io/v1',
        kind: 'Route',
        metadata: { name: 'backend' },
        spec: {
          host: 'backend-3scale.example.com',
          to: { name: 'backend-listener' },
          port: { targetPort: 'http' },
          tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Allow' },
        },
      },
    })) as { spec: { to: unknown; wildcardPolicy: string } };
    assert.deepEqual(createdRoute.spec.to, { kind: 'Service', name: 'backend-listener', weight: 100 });
    assert.equal(createdRoute.spec.wildcardPolicy, 'None');

    const createdStream = (await custom.createNamespacedCustomObject({
      ...imageStream,
      namespace: ns.name,
      body: {
        apiVersion: 'image.openshift.io/v1',
        kind: 'ImageStream',
        metadata: { name: 'amp-backend' },
        spec: {
          lookupPolicy: { local: false },
          tags: [
            {
              name: '2.9',
              from: { kind: 'DockerImage', name: 'quay.io/3scale/apisonator:3scale-2.9' },
              importPolicy: { insecure: false },
              referencePolicy: { type: '' },
            },
          ],
        },
      },
    })) as { spec: { tags: Array<{ name: string }> } };
    assert.equal(createdStream.spec.tags[0].name, '2.9');
  });

  it('rejects malformed stand-in objects, naming the field', async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const noTarget = await rejection(
      custom.createNamespacedCustomObject({
        ...route,
        namespace: ns.name,
        body: { apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'bad' }, spec: { host: 'x.example.com' } },
      }),
    );
    assert.equal(noTarget.code, 422);
    assert.match(noTarget.message, /spec\.to: Required value/);

    const passthroughWithPath = await rejection(
      custom.createNamespacedCustomObject({
        ...route,
        namespace: ns.name,
        body: {
          apiVersion: 'route.openshift.io/v1',
          kind: 'Route',
          metadata: { name: 'bad2' },
          spec: { to: { name: 's' }, path: '/x', tls: { termination: 'passthrough' } },
        },
      }),
    );
    assert.match(passthroughWithPath.message, /passthrough termination does not support paths/);

    const badDc = await rejection(
      custom.createNamespacedCustomObject({
        ...dc,
        namespace: ns.name,
        body: {
          apiVersion: 'apps.openshift.io/v1',
          kind: 'DeploymentConfig',
          metadata: { name: 'bad' },
          spec: { replicas: 'three', strategy: { type: 'BlueGreen' } },
        },
      }),
    );
    assert.equal(badDc.code, 422);
    assert.match(badDc.message, /spec\.replicas: Invalid value: "string"/);
    assert.match(badDc.message, /spec\.strategy\.type: Unsupported value: "BlueGreen"/);
  });

  it('garbage-collects a ConfigMap whose owner (a DeploymentConfig) is deleted', async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const core = kc.makeApiClient(CoreV1Api);
    const owner = (await custom.createNamespacedCustomObject({
      ...dc,
      namespace: ns.name,
      body: {
        apiVersion: 'apps.openshift.io/v1',
        kind: 'DeploymentConfig',
        metadata: { name: 'system-app' },
        spec: { replicas: 1, selector: { deploymentConfig: 'system-app' } },
      },
    })) as { metadata: { uid: string } };
    await core.createNamespacedConfigMap({
      namespace: ns.name,
      body: {
        metadata: {
          name: 'system-app-config',
          ownerReferences: [
            {
              apiVersion: 'apps.openshift.io/v1',
              kind: 'DeploymentConfig',
              name: 'system-app',
              uid: owner.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        data: { k: 'v' },
      },
    });
    await custom.deleteNamespacedCustomObject({ ...dc, namespace: ns.name, name: 'system-app' });
    await eventually(
      'the garbage collector to delete the owned ConfigMap',
      async () => {
        try {
          await core.readNamespacedConfigMap({ namespace: ns.name, name: 'system-app-config' });
          return false;
        } catch (error) {
          return statusCode(error) === 404;
        }
      },
      30_000,
      250,
    );
  });

  it('gives a ServiceAccount token exactly the rights of its Role (403 beyond them, no escalation)', async () => {
    // Applied from YAML the way manifests/deploy will be: namespaced objects land in the test namespace.
    const manifest = join(cluster.dir, `rbac-${ns.name}.yaml`);
    await writeFile(
      manifest,
      [
        'apiVersion: v1',
        'kind: ServiceAccount',
        'metadata: {name: operator}',
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: Role',
        'metadata: {name: operator}',
        'rules:',
        '- {apiGroups: [""], resources: [configmaps], verbs: [get, list]}',
        '- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [create]}',
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: RoleBinding',
        'metadata: {name: operator}',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: operator}',
        `subjects: [{kind: ServiceAccount, name: operator, namespace: ${ns.name}}]`,
        '',
      ].join('\n'),
    );
    const applied = await applyManifestFiles(kc, [manifest], ns.name);
    assert.deepEqual(
      applied.map((o) => `${o.kind}/${o.metadata?.namespace}`),
      ['ServiceAccount', 'Role', 'RoleBinding'].map((k) => `${k}/${ns.name}`),
    );

    const creds = await tokenFor(cluster, ns.name, 'operator');
    const who = await creds.kubeConfig.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: {} });
    assert.equal(who.status?.userInfo?.username, `system:serviceaccount:${ns.name}:operator`);

    const asOperator = creds.kubeConfig.makeApiClient(CoreV1Api);
    const list = await asOperator.listNamespacedConfigMap({ namespace: ns.name });
    assert.ok(Array.isArray(list.items));
    const readSecrets = await rejection(asOperator.listNamespacedSecret({ namespace: ns.name }));
    assert.equal(readSecrets.code, 403);
    assert.match(readSecrets.message, /cannot list resource "secrets"/);
    const write = await rejection(asOperator.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: 'x' } } }));
    assert.equal(write.code, 403);
    const elsewhere = await rejection(asOperator.listNamespacedConfigMap({ namespace: 'default' }));
    assert.equal(elsewhere.code, 403);
    // RBAC escalation check: creating a Role that grants more than the creator holds is refused.
    const escalate = await rejection(
      creds.kubeConfig.makeApiClient(RbacAuthorizationV1Api).createNamespacedRole({
        namespace: ns.name,
        body: { metadata: { name: 'more' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] },
      }),
    );
    assert.equal(escalate.code, 403);
    assert.match(escalate.message, /attempting to grant RBAC permissions not currently held/);
    await creds.kubeConfig.makeApiClient(RbacAuthorizationV1Api).createNamespacedRole({
      namespace: ns.name,
      body: { metadata: { name: 'same' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] },
    });
  });

  it('delivers a watch event for an update', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: 'watched' }, data: { version: '1' } } });
    const seen: Array<{ phase: string; version: string | undefined }> = [];
    let notify: () => void = () => undefined;
    const updated = new Promise<void>((resolve) => {
      notify = resolve;
    });
    const controller = await new Watch(kc).watch(
      `/api/v1/namespaces/${ns.name}/configmaps`,
      {},
      (phase, obj: V1ConfigMap) => {
        seen.push({ phase, version: obj.data?.version });
        if (phase === 'MODIFIED' && obj.data?.version === '2') notify();
      },
      () => undefined,
    );
    try {
      // The watch starts with the current state (ADDED) once the stream is open.
      await eventually('the watch to report the existing ConfigMap', () => seen.some((e) => e.phase === 'ADDED'), 10_000, 50);
      await core.replaceNamespacedConfigMap({
        namespace: ns.name,
        name: 'watched',
        body: { metadata: { name: 'watched' }, data: { version: '2' } },
      });
      await Promise.race([
        updated,
        new Promise((_, reject) =>
          setTimeout(() => {
            reject(new Error(`no MODIFIED event; saw ${JSON.stringify(seen)}`));
          }, 10_000),
        ),
      ]);
    } finally {
      controller.abort();
    }
    assert.deepEqual(seen.at(-1), { phase: 'MODIFIED', version: '2' });
  });

  it('lets tests play OpenShift through the named stand-ins: DeploymentConfig rollout status and Route admission', async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({
      ...dc,
      namespace: ns.name,
      body: {
        apiVersion: 'apps.openshift.io/v1',
        kind: 'DeploymentConfig',
        metadata: { name: 'zync' },
        spec: { replicas: 2, selector: { deploymentConfig: 'zync' } },
      },
    });
    await custom.createNamespacedCustomObject({
      ...route,
      namespace: ns.name,
      body: {
        apiVersion: 'route.openshift.io/v1',
        kind: 'Route',
        metadata: { name: 'master' },
        spec: { host: 'master.example.com', to: { name: 'system-master' } },
      },
    });
    await markDeploymentConfigAvailable(kc, ns.name, 'zync');
    await admitRoute(kc, ns.name, 'master');
    const zync = (await custom.getNamespacedCustomObject({ ...dc, namespace: ns.name, name: 'zync' })) as {
      status: { availableReplicas: number; latestVersion: number; conditions: Array<{ type: string; status: string }> };
    };
    assert.equal(zync.status.availableReplicas, 2);
    assert.equal(zync.status.latestVersion, 1);
    assert.ok(zync.status.conditions.some((c) => c.type === 'Available' && c.status === 'True'));
    const master = (await custom.getNamespacedCustomObject({ ...route, namespace: ns.name, name: 'master' })) as {
      status: { ingress: Array<{ host: string; conditions: Array<{ type: string; status: string }> }> };
    };
    assert.equal(master.status.ingress[0].host, 'master.example.com');
    assert.deepEqual(
      master.status.ingress[0].conditions.map((c) => [c.type, c.status]),
      [['Admitted', 'True']],
    );
  });

  it('removes a deleted namespace through the namespace controller', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const name = `${ns.name}-gone`;
    await core.createNamespace({ body: { metadata: { name } } });
    await core.createNamespacedConfigMap({ namespace: name, body: { metadata: { name: 'c' } } });
    await core.deleteNamespace({ name });
    await eventually(
      `namespace ${name} to be removed`,
      async () => {
        try {
          await core.readNamespace({ name });
          return false;
        } catch (error) {
          return statusCode(error) === 404;
        }
      },
      30_000,
      250,
    );
  });
});
