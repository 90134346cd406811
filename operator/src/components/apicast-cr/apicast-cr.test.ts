import assert from 'node:assert/strict';
import type { APIcastSpec } from '../../api/types.js';
import { toApicastModel } from '../../model/apicast.js';
import { envNotation } from '../../testing/build.js';
import type { KubeObject } from '../common/desired.js';
import { ADMIN_PORTAL_RV_ANNOTATION, GATEWAY_CONFIG_RV_ANNOTATION, type ApicastSecretRefs, buildApicastCr } from './index.js';
import { checkApicastSecrets } from './secrets.js';

function modelFor(spec: APIcastSpec) {
  const result = toApicastModel(
    { apiVersion: 'apps.3scale.net/v1alpha1', kind: 'APIcast', metadata: { name: 'gw', namespace: 'ns' }, spec },
    { RELATED_IMAGE_APICAST: 'img:1' },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

interface DeploymentShape {
  spec: {
    replicas: number;
    selector: unknown;
    template: {
      metadata: { labels: unknown; annotations: Record<string, string> };
      spec: {
        serviceAccountName: string;
        volumes?: { name: string; secret: { secretName: string } }[];
        containers: {
          name: string;
          image: string;
          imagePullPolicy: string;
          env: never[];
          resources: unknown;
          volumeMounts?: { mountPath: string }[];
        }[];
      };
    };
  };
}

const deploymentOf = (objects: { object: KubeObject }[]) =>
  objects.find((o) => o.object.kind === 'Deployment')?.object as unknown as DeploymentShape;

describe('APIcast CR builder (operator.md §7.2)', () => {
  it('Deployment: selector deployment: apicast-<name>, image, ports, portal endpoint from AdminPortalURL', () => {
    const { objects, absent } = buildApicastCr(modelFor({ adminPortalCredentialsRef: { name: 'portal' }, replicas: 2 }));
    const d = deploymentOf(objects);
    assert.deepEqual(d.spec.selector, { matchLabels: { deployment: 'apicast-gw' } });
    assert.equal(d.spec.replicas, 2);
    const c = d.spec.template.spec.containers[0];
    assert.equal(c.name, 'apicast-gw');
    assert.equal(c.image, 'img:1');
    assert.equal(c.imagePullPolicy, 'Always');
    assert.deepEqual(envNotation(c.env), { THREESCALE_PORTAL_ENDPOINT: 'sec:portal/AdminPortalURL' });
    assert.deepEqual(c.resources, { requests: { cpu: '500m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } });
    assert.equal(d.spec.template.spec.serviceAccountName, 'default');
    assert.deepEqual(absent, [
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'apicast-gw' },
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'apicast-gw' },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', name: 'apicast-gw' },
    ]);
    const svc = objects.find((o) => o.object.kind === 'Service')?.object.spec as { ports: { name: string }[]; selector: unknown };
    assert.deepEqual(
      svc.ports.map((p) => p.name),
      ['proxy', 'management'],
    );
    assert.deepEqual(svc.selector, { deployment: 'apicast-gw' });
  });

  it('a secret with key password (apicast-configuration-url-secret) is referenced by that key', () => {
    const model = modelFor({ adminPortalCredentialsRef: { name: 'apicast-configuration-url-secret' } });
    const { refs, findings } = checkApicastSecrets(model, () => ({
      data: { password: 'https://tok@3scale-admin.example.com' },
      resourceVersion: '42',
    }));
    assert.deepEqual(findings, []);
    const d = deploymentOf(buildApicastCr(model, refs).objects);
    assert.deepEqual(envNotation(d.spec.template.spec.containers[0]?.env), {
      THREESCALE_PORTAL_ENDPOINT: 'sec:apicast-configuration-url-secret/password',
    });
    assert.equal(d.spec.template.metadata.annotations[ADMIN_PORTAL_RV_ANNOTATION], '42');
  });

  it('embedded configuration: volume, read-only mount, THREESCALE_CONFIG_FILE, resourceVersion annotation', () => {
    const refs: ApicastSecretRefs = { embeddedConfiguration: { resourceVersion: '7' } };
    const d = deploymentOf(buildApicastCr(modelFor({ embeddedConfigurationSecretRef: { name: 'cfg' } }), refs).objects);
    assert.deepEqual(d.spec.template.spec.volumes, [
      { name: 'gateway-configuration-volume', secret: { secretName: 'cfg', items: [{ key: 'config.json', path: 'config.json' }] } },
    ]);
    assert.deepEqual(envNotation(d.spec.template.spec.containers[0]?.env), {
      THREESCALE_CONFIG_FILE: '"/tmp/gateway-configuration-volume/config.json"',
    });
    assert.equal(d.spec.template.metadata.annotations[GATEWAY_CONFIG_RV_ANNOTATION], '7');
  });

  it('customPolicies mount each Secret at /opt/app-root/src/policies/<name>/<version>; resources and workers from the CR', () => {
    const d = deploymentOf(
      buildApicastCr(
        modelFor({
          embeddedConfigurationSecretRef: { name: 'cfg' },
          workers: 3,
          resources: { limits: { cpu: '2' } },
          customPolicies: [{ name: 'rate', version: '0.1.0', secretRef: { name: 'rate-policy' } }],
        }),
      ).objects,
    );
    const c = d.spec.template.spec.containers[0];
    assert.deepEqual(
      c.volumeMounts?.map((m) => m.mountPath),
      ['/tmp/gateway-configuration-volume', '/opt/app-root/src/policies/rate/0.1.0'],
    );
    assert.equal(d.spec.template.spec.volumes?.[1]?.secret.secretName, 'rate-policy');
    assert.deepEqual(c.resources, { limits: { cpu: '2' } });
    assert.equal(envNotation(c.env).APICAST_WORKERS, '"3"');
  });

  it('exposedHost: Ingress networking.k8s.io/v1 with the host, no path, tls verbatim', () => {
    const { objects, absent } = buildApicastCr(
      modelFor({
        adminPortalCredentialsRef: { name: 'p' },
        exposedHost: { host: 'gw.example.com', tls: [{ hosts: ['gw.example.com'], secretName: 'gw-tls' }] },
      }),
    );
    assert.deepEqual(
      absent.map((r) => r.kind),
      ['HorizontalPodAutoscaler', 'PodDisruptionBudget'],
    );
    const ingress = objects.find((o) => o.object.kind === 'Ingress')?.object;
    assert.equal(ingress?.apiVersion, 'networking.k8s.io/v1');
    assert.deepEqual(ingress.spec, {
      rules: [
        {
          host: 'gw.example.com',
          http: { paths: [{ pathType: 'ImplementationSpecific', backend: { service: { name: 'apicast-gw', port: { name: 'proxy' } } } }] },
        },
      ],
      tls: [{ hosts: ['gw.example.com'], secretName: 'gw-tls' }],
    });
  });

  it('secret checks: missing secret, missing keys, URL without token — never the value', () => {
    const model = modelFor({
      adminPortalCredentialsRef: { name: 'portal' },
      embeddedConfigurationSecretRef: { name: 'cfg' },
      customPolicies: [{ name: 'p', version: '1', secretRef: { name: 'pol' } }],
    });
    const secrets: Record<string, { data: Record<string, string>; resourceVersion: string }> = {
      portal: { data: { AdminPortalURL: 'https://3scale-admin.example.com' }, resourceVersion: '1' },
      pol: { data: { 'apicast-policy.json': '{}' }, resourceVersion: '2' },
    };
    assert.deepEqual(checkApicastSecrets(model, (n) => secrets[n]).findings, [
      { secret: 'portal', key: 'AdminPortalURL', reason: 'Access Token required in AdminPortalURL URL' },
      { secret: 'cfg', reason: 'secret not found' },
      { secret: 'pol', key: 'index.js', reason: 'key missing' },
    ]);
  });
});
