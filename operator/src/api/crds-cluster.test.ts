// On the real test cluster (kube-apiserver): the committed CRDs are accepted and served, the API server and
// render agree on valid and invalid CRs, and every object render produces is accepted by the API server in
// both flavours (the OpenShift kinds through the test cluster's stand-in CRDs).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { CustomObjectsApi, type KubernetesObject } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { useCluster, clusterStartTimeoutMs } from '../../../test/cluster/shared.js';
import type { Cluster } from '../../../test/cluster/harness.js';
import { installCrds } from '../../../test/cluster/crds.js';
import { applyObjects } from '../../../test/cluster/apply.js';
import { namespacePerTest } from '../../../test/cluster/namespaces.js';
import { renderDocument } from '../render/render.js';
import { validateCr } from './validate.js';

const root = new URL('../../../../', import.meta.url);
const crdPaths = ['crds/apps.3scale.net_apimanagers.yaml', 'crds/apps.3scale.net_apicasts.yaml'].map((p) =>
  fileURLToPath(new URL(p, root)),
);
const example = (name: string): Record<string, unknown> =>
  parse(readFileSync(new URL(`operator/examples/${name}`, root), 'utf8')) as Record<string, unknown>;
// Kinds of optional operators whose CRDs a plain cluster does not serve.
const OPTIONAL_KINDS = new Set(['PodMonitor', 'GrafanaDashboard', 'PrometheusRule']);

function statusMessage(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  return typeof body === 'string' ? body : JSON.stringify(body ?? String(error));
}

describe('CRDs and rendered objects on a real API server', function () {
  let cluster: Cluster;
  before(async function () {
    this.timeout(clusterStartTimeoutMs);
    cluster = await useCluster();
    await installCrds(cluster.kubeConfig(), crdPaths);
  });
  const ns = namespacePerTest(() => cluster.kubeConfig(), 'crds');

  const create = (plural: string, body: Record<string, unknown>) =>
    cluster
      .kubeConfig()
      .makeApiClient(CustomObjectsApi)
      .createNamespacedCustomObject({ group: 'apps.3scale.net', version: 'v1alpha1', namespace: ns.name, plural, body });

  it('accepts the example CRs and fills the schema defaults', async () => {
    const stored = (await create('apimanagers', example('apimanager-ha.yaml'))) as {
      spec: Record<string, unknown> & { apicast?: Record<string, unknown> };
    };
    assert.equal(stored.spec.appLabel, '3scale-api-management');
    assert.equal(stored.spec.tenantName, '3scale');
    assert.equal(stored.spec.resourceRequirementsEnabled, true);
    // The objects the original's defaulting step creates ({}), with their children's defaults.
    assert.deepEqual(stored.spec.apicast, {
      managementAPI: 'status',
      openSSLVerify: false,
      responseCodes: true,
      registryURL: 'http://apicast-staging:8090/policies',
      stagingSpec: { replicas: 2 },
      productionSpec: { replicas: 2 },
    });
    const plain = (await create('apimanagers', { ...example('apimanager.yaml'), metadata: { name: 'plain' } })) as {
      spec: { zync: unknown; system: { sphinxSpec: unknown; appSpec: unknown; database?: unknown } };
    };
    assert.deepEqual(plain.spec.zync, { appSpec: { replicas: 1 }, queSpec: { replicas: 1 } });
    assert.deepEqual(plain.spec.system.sphinxSpec, {});
    assert.equal(plain.spec.system.database, undefined, 'database stays implicit (2.8+)');
    for (const name of ['apimanager-s3.yaml', 'apimanager-postgresql.yaml']) {
      const cr = example(name);
      await create('apimanagers', { ...cr, metadata: { name: name.replace('.yaml', '') } });
    }
    const gw = (await create('apicasts', example('apicast.yaml'))) as { spec: { replicas: number; serviceAccount: string } };
    assert.equal(gw.spec.replicas, 1);
    assert.equal(gw.spec.serviceAccount, 'default');
  });

  it('rejects what render rejects, on the same fields', async () => {
    const invalid = [
      {
        plural: 'apimanagers',
        kind: 'APIManager' as const,
        spec: { wildcardDomain: 'd', apicast: { managementAPI: 'loud' } },
        field: 'spec.apicast.managementAPI',
      },
      { plural: 'apimanagers', kind: 'APIManager' as const, spec: { tenantName: 'x' }, field: 'spec.wildcardDomain' },
      { plural: 'apicasts', kind: 'APIcast' as const, spec: { replicas: 1 }, field: 'spec' },
      {
        plural: 'apicasts',
        kind: 'APIcast' as const,
        spec: { embeddedConfigurationSecretRef: { name: 'c' }, configurationLoadMode: 'sometimes' },
        field: 'spec.configurationLoadMode',
      },
    ];
    for (const [i, c] of invalid.entries()) {
      const body = { apiVersion: 'apps.3scale.net/v1alpha1', kind: c.kind, metadata: { name: `bad-${i}` }, spec: c.spec };
      assert.notDeepEqual(validateCr(c.kind, body), [], `render accepts ${JSON.stringify(c.spec)}`);
      await assert.rejects(
        create(c.plural, body),
        (error: unknown) => statusMessage(error).includes(c.field),
        `API server accepts ${JSON.stringify(c.spec)}`,
      );
    }
  });

  for (const flavour of ['openshift', 'kubernetes'] as const) {
    it(`accepts every object render produces (${flavour} flavour, PDBs on)`, async function () {
      this.timeout(120_000);
      const cr = {
        ...example('apimanager.yaml'),
        spec: { wildcardDomain: 'example.com', podDisruptionBudget: { enabled: true }, monitoring: { enabled: true } },
      };
      const outcome = renderDocument(cr, { flavour, env: {} });
      assert.ok(outcome.ok);
      const objects = outcome.result.objects.map((o) => o.object).filter((o) => !OPTIONAL_KINDS.has(o.kind)) as KubernetesObject[];
      const stored = await applyObjects(cluster.kubeConfig(), objects, ns.name);
      assert.equal(stored.length, objects.length);
    });
  }

  it('accepts the APIcast CR objects', async () => {
    const outcome = renderDocument(
      {
        ...example('apicast.yaml'),
        spec: {
          embeddedConfigurationSecretRef: { name: 'cfg' },
          exposedHost: { host: 'gw.example.com', tls: [{ hosts: ['gw.example.com'] }] },
          customPolicies: [{ name: 'p', version: '1.0.0', secretRef: { name: 'pol' } }],
        },
      },
      { flavour: 'kubernetes', env: {} },
    );
    assert.ok(outcome.ok);
    const objects = outcome.result.objects.map((o) => o.object) as KubernetesObject[];
    assert.deepEqual(
      (await applyObjects(cluster.kubeConfig(), objects, ns.name)).map((o) => o.kind),
      ['Deployment', 'Service', 'Ingress'],
    );
  });
});
