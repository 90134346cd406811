/**
 * The APIcast CR on the test cluster: Deployment/Service/Ingress from the referenced secrets, pods rolled on a
 * secret change (the resourceVersion pod annotations), referenced secrets never written, bad references reported.
 */
import assert from 'node:assert/strict';
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { condition, editObject, eventually } from './fixture.js';
import { operatorSuite } from './suite.js';

const APIM = 'apps.3scale.net/v1alpha1';
type PodTemplate = {
  spec: {
    replicas: number;
    template: {
      metadata: { annotations: Record<string, string> };
      spec: {
        containers: { env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[] }[];
        volumes?: { name: string }[];
      };
    };
  };
};

describe('operator: APIcast CR on the test cluster', function () {
  this.timeout(90_000);
  const suite = operatorSuite({ prefix: 'apicast', logLines: 60 });
  let admin: KubeClient;
  let namespace: string;
  before(() => {
    ({ admin, namespace } = suite);
  });

  const get = (apiVersion: string, kind: string, name: string) => admin.get<KubeObject>(apiVersion, kind, namespace, name);
  const exists = async (apiVersion: string, kind: string, name: string) => {
    try {
      await get(apiVersion, kind, name);
      return true;
    } catch {
      return false;
    }
  };
  const secret = (name: string, stringData: Record<string, string>) =>
    admin.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, stringData });

  it('deploys from adminPortalCredentialsRef, rolls the pods when the secret changes, never writes the secret', async () => {
    await secret('portal', { AdminPortalURL: 'https://token@3scale-admin.example.test' });
    await admin.create({
      apiVersion: APIM,
      kind: 'APIcast',
      metadata: { name: 'gw', namespace },
      spec: { adminPortalCredentialsRef: { name: 'portal' }, exposedHost: { host: 'api.example.test' } },
    });
    await eventually(
      'Deployment, Service and Ingress',
      async () =>
        (await exists('apps/v1', 'Deployment', 'apicast-gw')) &&
        (await exists('v1', 'Service', 'apicast-gw')) &&
        (await exists('networking.k8s.io/v1', 'Ingress', 'apicast-gw')),
      30_000,
      200,
    );
    const deployment = (await get('apps/v1', 'Deployment', 'apicast-gw')) as KubeObject & PodTemplate;
    const env = deployment.spec.template.spec.containers[0].env ?? [];
    assert.deepEqual(env.find((e) => e.name === 'THREESCALE_PORTAL_ENDPOINT')?.valueFrom?.secretKeyRef, {
      name: 'portal',
      key: 'AdminPortalURL',
    });
    const portal = await get('v1', 'Secret', 'portal');
    assert.equal(
      deployment.spec.template.metadata.annotations['apicast.apps.3scale.net/admin-portal-secret-resource-version'],
      portal.metadata.resourceVersion,
    );
    const cr = await get(APIM, 'APIcast', 'gw');
    assert.ok(deployment.metadata.ownerReferences?.some((r) => r.uid === cr.metadata.uid && r.controller));
    assert.equal(portal.metadata.ownerReferences, undefined, 'the referenced secret is never adopted');

    // The user edits the secret: the pod template annotation follows, which rolls the pods.
    portal.data = { AdminPortalURL: Buffer.from('https://newtoken@3scale-admin.example.test').toString('base64') };
    const edited = await admin.update(portal);
    await eventually(
      'pod annotation follows the secret',
      async () => {
        const d = (await get('apps/v1', 'Deployment', 'apicast-gw')) as KubeObject & PodTemplate;
        return (
          d.spec.template.metadata.annotations['apicast.apps.3scale.net/admin-portal-secret-resource-version'] ===
          edited.metadata.resourceVersion
        );
      },
      20_000,
      200,
    );
    const after = await get('v1', 'Secret', 'portal');
    assert.equal(after.metadata.resourceVersion, edited.metadata.resourceVersion, 'the operator never writes the referenced secret');
    assert.equal(condition(await get(APIM, 'APIcast', 'gw'), 'Degraded')?.status, 'False');
  });

  it('removes the Ingress when exposedHost is removed, and switches to the embedded configuration', async () => {
    await secret('gw-config', { 'config.json': '{"services":[]}' });
    await editObject(admin, APIM, 'APIcast', namespace, 'gw', (cr) => {
      cr.spec = { embeddedConfigurationSecretRef: { name: 'gw-config' } };
    });
    await eventually('Ingress deleted', async () => !(await exists('networking.k8s.io/v1', 'Ingress', 'apicast-gw')), 20_000, 200);
    await eventually(
      'embedded config mounted, portal env gone',
      async () => {
        const d = (await get('apps/v1', 'Deployment', 'apicast-gw')) as KubeObject & PodTemplate;
        const env = d.spec.template.spec.containers[0].env ?? [];
        return (
          env.some((e) => e.name === 'THREESCALE_CONFIG_FILE') &&
          !env.some((e) => e.name === 'THREESCALE_PORTAL_ENDPOINT') &&
          (d.spec.template.spec.volumes ?? []).some((v) => v.name === 'gateway-configuration-volume')
        );
      },
      20_000,
      200,
    );
  });

  it('reports a missing referenced secret and a secret without the required key, and touches the Deployment no more', async () => {
    const before = await get('apps/v1', 'Deployment', 'apicast-gw');
    await editObject(admin, APIM, 'APIcast', namespace, 'gw', (cr) => {
      cr.spec = { embeddedConfigurationSecretRef: { name: 'does-not-exist' } };
    });
    await eventually(
      'Degraded names the secret',
      async () => {
        const degraded = condition(await get(APIM, 'APIcast', 'gw'), 'Degraded');
        return degraded?.status === 'True' && /does-not-exist/.test(degraded.message ?? '');
      },
      20_000,
      200,
    );
    await secret('no-config-key', { 'other.json': '{}' });
    await editObject(admin, APIM, 'APIcast', namespace, 'gw', (cr) => {
      cr.spec = { embeddedConfigurationSecretRef: { name: 'no-config-key' } };
    });
    await eventually(
      'Degraded names the key',
      async () => /no-config-key key config\.json/.test(condition(await get(APIM, 'APIcast', 'gw'), 'Degraded')?.message ?? ''),
      20_000,
      200,
    );
    // The pods are real (kube-scheduler + kwok), so the deployment controller keeps writing the status: the
    // operator's hands-off is the spec (generation and content), not the resourceVersion.
    const after = await get('apps/v1', 'Deployment', 'apicast-gw');
    assert.equal(after.metadata.generation, before.metadata.generation);
    assert.deepEqual(after.spec, before.spec);
  });

  it('current apicast-operator fields: HPA and PDB come and go with the spec, a CA bundle and TLS Secret are mounted and roll the pods', async () => {
    await secret('apicast-ca', { 'ca-bundle.crt': 'CA-1' });
    await secret('apicast-tls', { 'tls.crt': 'CERT', 'tls.key': 'KEY' });
    await secret('cfg2', { 'config.json': '{"services":[]}' });
    await secret('lua-envs', { 'custom.lua': 'return {}' });
    await admin.create({
      apiVersion: APIM,
      kind: 'APIcast',
      metadata: { name: 'gw2', namespace },
      spec: {
        embeddedConfigurationSecretRef: { name: 'cfg2' },
        hpa: true,
        podDisruptionBudget: { enabled: true },
        caCertificateSecretRef: { name: 'apicast-ca' },
        httpsCertificateSecretRef: { name: 'apicast-tls' },
        priorityClassName: 'system-cluster-critical',
        timezone: 'Europe/Madrid',
        customEnvironments: [{ secretRef: { name: 'lua-envs' } }],
      },
    });
    await eventually(
      'HPA and PDB',
      async () =>
        (await exists('autoscaling/v2', 'HorizontalPodAutoscaler', 'apicast-gw2')) &&
        (await exists('policy/v1', 'PodDisruptionBudget', 'apicast-gw2')),
      30_000,
      200,
    );
    type Pod = {
      spec: {
        template: {
          metadata: { annotations: Record<string, string> };
          spec: { priorityClassName?: string; containers: { env?: { name: string; value?: string }[] }[] };
        };
      };
    };
    const pod = async () => ((await get('apps/v1', 'Deployment', 'apicast-gw2')) as KubeObject & Pod).spec.template;
    const env = Object.fromEntries(((await pod()).spec.containers[0].env ?? []).map((e) => [e.name, e.value]));
    assert.equal(env.SSL_CERT_FILE, '/var/run/secrets/ca-certificate/ca-bundle.crt');
    assert.equal(env.APICAST_HTTPS_CERTIFICATE, '/var/run/secrets/tls/tls.crt');
    assert.equal(env.TZ, 'Europe/Madrid');
    assert.equal((await pod()).spec.priorityClassName, 'system-cluster-critical');
    // Ready comes from real parts: kube-scheduler binds the pod, kwok makes it Ready, the deployment controller
    // reports the Deployment available, and the operator reads that.
    await eventually(
      'Warning names the ignored Lua environments; Ready once the pod runs',
      async () => {
        const cr = await get(APIM, 'APIcast', 'gw2');
        return (
          condition(cr, 'Warning')?.status === 'True' &&
          /spec\.customEnvironments/.test(condition(cr, 'Warning')?.message ?? '') &&
          condition(cr, 'Ready')?.status === 'True'
        );
      },
      30_000,
      200,
    );
    const hashBefore = (await pod()).metadata.annotations['apps.3scale.net/gateway-secrets-hash'];
    assert.match(hashBefore, /^[0-9a-f]{64}$/);

    await editObject<KubeObject & { data: Record<string, string> }>(admin, 'v1', 'Secret', namespace, 'apicast-tls', (s) => {
      s.data['tls.crt'] = Buffer.from('CERT-2').toString('base64');
    });
    await eventually(
      'the TLS rotation rolls the pods',
      async () => (await pod()).metadata.annotations['apps.3scale.net/gateway-secrets-hash'] !== hashBefore,
      20_000,
      200,
    );

    await editObject(admin, APIM, 'APIcast', namespace, 'gw2', (cr) => {
      const spec = cr.spec as Record<string, unknown>;
      delete spec.hpa;
      delete spec.podDisruptionBudget;
    });
    await eventually(
      'HPA and PDB deleted',
      async () =>
        !(await exists('autoscaling/v2', 'HorizontalPodAutoscaler', 'apicast-gw2')) &&
        !(await exists('policy/v1', 'PodDisruptionBudget', 'apicast-gw2')),
      30_000,
      200,
    );
  });
});
