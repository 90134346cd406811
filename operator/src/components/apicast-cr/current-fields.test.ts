import assert from 'node:assert/strict';
import type { APIcastSpec } from '../../api/types.js';
import { toApicastModel } from '../../model/apicast.js';
import type { KubeObject } from '../common/desired.js';
import { buildApicastCr } from './index.js';
import { checkApicastSecrets } from './secrets.js';
import { GATEWAY_SECRETS_HASH } from '../gateway-options/index.js';

function modelFor(spec: APIcastSpec) {
  const result = toApicastModel(
    { apiVersion: 'apps.3scale.net/v1alpha1', kind: 'APIcast', metadata: { name: 'gw', namespace: 'ns' }, spec },
    {},
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}
type Pod = {
  metadata: { annotations: Record<string, string> };
  spec: Record<string, unknown> & {
    containers: {
      env: { name: string; value?: string }[];
      ports: { name: string; containerPort: number }[];
      volumeMounts?: { mountPath: string }[];
    }[];
  };
};
const podOf = (objects: { object: KubeObject }[]) =>
  (objects.find((o) => o.object.kind === 'Deployment')?.object.spec as { template: Pod }).template;
const envOf = (pod: Pod) => Object.fromEntries(pod.spec.containers[0].env.map((e) => [e.name, e.value]));
const BASE = { embeddedConfigurationSecretRef: { name: 'cfg' } };

describe('APIcast CR: apicast-operator fields after 2.9', () => {
  it('scheduling knobs go on the pod', () => {
    const spread = [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' as const }];
    const pod = podOf(
      buildApicastCr(
        modelFor({
          ...BASE,
          priorityClassName: 'high',
          topologySpreadConstraints: spread,
          tolerations: [{ key: 'edge', operator: 'Exists' }],
        }),
      ).objects,
    );
    assert.equal(pod.spec.priorityClassName, 'high');
    assert.deepEqual(pod.spec.topologySpreadConstraints, spread);
    assert.deepEqual(pod.spec.tolerations, [{ key: 'edge', operator: 'Exists' }]);
  });

  it('hpa builds an HPA on the Deployment and stops reconciling replicas; podDisruptionBudget builds a PDB', () => {
    const built = buildApicastCr(modelFor({ ...BASE, hpa: true, podDisruptionBudget: { enabled: true, minAvailable: '50%' } }));
    const hpa = built.objects.find((o) => o.object.kind === 'HorizontalPodAutoscaler');
    assert.deepEqual((hpa?.object.spec as { scaleTargetRef: unknown }).scaleTargetRef, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'apicast-gw',
    });
    const deployment = built.objects.find((o) => o.object.kind === 'Deployment');
    assert.ok(deployment?.reconcile.mode === 'fields' && !deployment.reconcile.paths.includes('spec.replicas'));
    const pdb = built.objects.find((o) => o.object.kind === 'PodDisruptionBudget');
    assert.deepEqual(pdb?.object.spec, { minAvailable: '50%', selector: { matchLabels: { deployment: 'apicast-gw' } } });
    assert.deepEqual(
      built.absent.filter((r) => r.kind !== 'Ingress'),
      [],
    );
    const defaultPdb = buildApicastCr(modelFor({ ...BASE, podDisruptionBudget: { enabled: true } })).objects.find(
      (o) => o.object.kind === 'PodDisruptionBudget',
    );
    assert.equal((defaultPdb?.object.spec as { maxUnavailable: number }).maxUnavailable, 1);
  });

  it('maps the gateway variables, after the 2.9 ones', () => {
    const env = envOf(
      podOf(
        buildApicastCr(
          modelFor({
            ...BASE,
            workers: 2,
            timezone: 'Europe/Madrid',
            upstreamRetryCases: 'error timeout http_503',
            cacheMaxTime: '2m',
            cacheStatusCodes: '200 203',
            oidcLogLevel: 'debug',
            servicesFilterByURL: '.*\\.example\\.com',
            serviceConfigurationVersionOverride: { '42': '7', '17': '3' },
            extendedMetrics: true,
            allProxy: 'http://proxy:3128',
            noProxy: 'localhost',
            serviceCacheSize: 100,
          }),
        ).objects,
      ),
    );
    assert.deepEqual(Object.keys(env), [
      'THREESCALE_CONFIG_FILE',
      'APICAST_WORKERS',
      'TZ',
      'APICAST_UPSTREAM_RETRY_CASES',
      'APICAST_CACHE_MAX_TIME',
      'APICAST_CACHE_STATUS_CODES',
      'APICAST_OIDC_LOG_LEVEL',
      'APICAST_SERVICES_FILTER_BY_URL',
      'APICAST_EXTENDED_METRICS',
      'APICAST_SERVICE_17_CONFIGURATION_VERSION',
      'APICAST_SERVICE_42_CONFIGURATION_VERSION',
      'ALL_PROXY',
      'NO_PROXY',
      'APICAST_SERVICE_CACHE_SIZE',
    ]);
    assert.equal(env.APICAST_SERVICE_42_CONFIGURATION_VERSION, '7');
    assert.equal(env.TZ, 'Europe/Madrid');
  });

  it('HTTPS, a CA bundle, tracing and custom environments: mounts, env, port, and a hash of their Secrets', () => {
    const model = modelFor({
      ...BASE,
      httpsPort: 9443,
      httpsCertificateSecretRef: { name: 'tls' },
      caCertificateSecretRef: { name: 'ca' },
      openTelemetry: { enabled: true, tracingConfigSecretRef: { name: 'otel' }, tracingConfigSecretKey: 'otel.json' },
      customEnvironments: [{ secretRef: { name: 'envs' } }],
    });
    const data: Record<string, Record<string, string>> = {
      tls: { 'tls.crt': 'C', 'tls.key': 'K' },
      otel: { 'otel.json': '{}' },
      envs: { 'a.lua': '', 'b.lua': '' },
    };
    const built = buildApicastCr(model, {}, (name) => data[name]);
    const pod = podOf(built.objects);
    const env = envOf(pod);
    assert.equal(env.SSL_CERT_FILE, '/var/run/secrets/ca-certificate/ca-bundle.crt');
    assert.equal(env.APICAST_HTTPS_PORT, '9443');
    assert.equal(env.OPENTELEMETRY_CONFIG, '/opt/app-root/src/tracing-configs/otel/otel.json');
    assert.equal(env.APICAST_ENVIRONMENT, '/opt/app-root/src/environments/envs/a.lua:/opt/app-root/src/environments/envs/b.lua');
    assert.ok(pod.spec.containers[0].ports.some((p) => p.name === 'httpsproxy' && p.containerPort === 9443));
    assert.match(pod.metadata.annotations[GATEWAY_SECRETS_HASH] ?? '', /^[0-9a-f]{64}$/);
    const svc = built.objects.find((o) => o.object.kind === 'Service')?.object.spec as { ports: { name: string; targetPort: number }[] };
    assert.deepEqual(svc.ports.find((p) => p.name === 'httpsproxy')?.targetPort, 9443);
  });

  it('exposedHost.ingressClassName reaches the Ingress', () => {
    const ingress = buildApicastCr(
      modelFor({ ...BASE, exposedHost: { host: 'gw.example.com', ingressClassName: 'openshift-default' } }),
    ).objects.find((o) => o.object.kind === 'Ingress');
    assert.equal((ingress?.object.spec as { ingressClassName: string }).ingressClassName, 'openshift-default');
  });

  it('reports missing Secrets and keys of the new references by name', () => {
    const model = modelFor({ ...BASE, caCertificateSecretRef: { name: 'ca' }, httpsCertificateSecretRef: { name: 'tls' } });
    const secrets: Record<string, { data: Record<string, string>; resourceVersion: string }> = {
      cfg: { data: { 'config.json': '{}' }, resourceVersion: '1' },
      ca: { data: { 'wrong.crt': 'x' }, resourceVersion: '2' },
    };
    assert.deepEqual(checkApicastSecrets(model, (n) => secrets[n]).findings, [
      { secret: 'ca', key: 'ca-bundle.crt', reason: 'key missing' },
      { secret: 'tls', reason: 'secret not found' },
    ]);
  });

  it('refuses contradictory settings, naming the field', () => {
    const result = toApicastModel(
      {
        apiVersion: 'apps.3scale.net/v1alpha1',
        kind: 'APIcast',
        metadata: { name: 'gw' },
        spec: { ...BASE, httpsPort: 8080, podDisruptionBudget: { enabled: true, maxUnavailable: 1, minAvailable: 1 } },
      },
      {},
    );
    assert.deepEqual(result.ok ? [] : result.errors.map((e) => e.path), ['spec.httpsPort', 'spec.podDisruptionBudget']);
  });
});
