/**
 * The embedded gateways' own settings on the real test cluster (kubernetes flavour): Secrets the user creates are
 * mounted and read through env vars, a change to one of them rolls the gateway (new pod template), and a missing
 * one is reported by name while the running gateway is left alone.
 */
import assert from 'node:assert/strict';
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { condition, editObject, eventually } from './fixture.js';
import { operatorSuite } from './suite.js';

const APIM = 'apps.3scale.net/v1alpha1';
const HASH = 'apps.3scale.net/gateway-secrets-hash';
interface Container {
  name: string;
  env?: { name: string; value?: string }[];
  volumeMounts?: { mountPath: string }[];
}
type Workload = KubeObject & {
  spec: { template: { metadata: { annotations?: Record<string, string> }; spec: { containers: Container[] } } };
};

describe('operator: embedded gateway settings on the test cluster (custom policies, tracing, HTTPS, proxies)', function () {
  this.timeout(180_000);
  const suite = operatorSuite({ prefix: 'gw-opts', flavour: 'kubernetes' });
  let admin: KubeClient;
  let namespace: string;
  before(() => {
    ({ admin, namespace } = suite);
  });

  const secret = (name: string, stringData: Record<string, string>, type = 'Opaque') =>
    admin.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type, stringData });
  const production = () => admin.get<Workload>('apps/v1', 'Deployment', namespace, 'apicast-production');
  const envOf = (w: Workload) => Object.fromEntries((w.spec.template.spec.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
  const apim = () => admin.get<KubeObject>(APIM, 'APIManager', namespace, 'example');

  it('mounts the Secrets and sets the variables the settings name', async () => {
    await secret('policy-hello', { 'apicast-policy.json': '{"name":"hello","version":"0.1"}', 'index.js': 'export default class {}' });
    await secret('otel-config', { 'otel.json': '{"exporter":"otlp"}' });
    await secret('gateway-tls', { 'tls.crt': 'CERT', 'tls.key': 'KEY' });
    await admin.create({
      apiVersion: APIM,
      kind: 'APIManager',
      metadata: { name: 'example', namespace },
      spec: {
        wildcardDomain: 'example.test',
        apicast: {
          productionSpec: {
            customPolicies: [{ name: 'hello', version: '0.1', secretRef: { name: 'policy-hello' } }],
            openTelemetry: { enabled: true, tracingConfigSecretRef: { name: 'otel-config' } },
            httpsCertificateSecretRef: { name: 'gateway-tls' },
            httpsProxy: 'http://proxy.corp:3128',
            logLevel: 'info',
          },
        },
      },
    });
    await eventually(
      'apicast-production Deployment',
      async () => {
        try {
          await production();
          return true;
        } catch {
          return false;
        }
      },
      60_000,
      500,
    );
    const live = await production();
    const env = envOf(live);
    assert.equal(env.OPENTELEMETRY_CONFIG, '/opt/app-root/src/tracing-configs/otel-config/otel.json');
    assert.equal(env.APICAST_HTTPS_PORT, '8443');
    assert.equal(env.HTTPS_PROXY, 'http://proxy.corp:3128');
    assert.deepEqual(
      live.spec.template.spec.containers[0]?.volumeMounts?.map((m) => m.mountPath),
      ['/opt/app-root/src/policies/hello/0.1', '/opt/app-root/src/tracing-configs/otel-config', '/var/run/secrets/tls'],
    );
    assert.match(live.spec.template.metadata.annotations?.[HASH] ?? '', /^[0-9a-f]{64}$/);
  });

  it('rolls the gateway when a referenced Secret changes', async () => {
    const before = (await production()).spec.template.metadata.annotations?.[HASH];
    await editObject<KubeObject & { data: Record<string, string> }>(admin, 'v1', 'Secret', namespace, 'gateway-tls', (s) => {
      s.data['tls.crt'] = Buffer.from('ROTATED').toString('base64');
    });
    await eventually(
      'new pod template hash',
      async () => {
        const now = (await production()).spec.template.metadata.annotations?.[HASH];
        return now !== undefined && now !== before;
      },
      30_000,
      300,
    );
  });

  it('names a missing Secret in Degraded and leaves the running gateway as it was', async () => {
    const before = await production();
    await editObject(admin, APIM, 'APIManager', namespace, 'example', (cr) => {
      const spec = cr.spec as { apicast: { productionSpec: { customPolicies: unknown[] } } };
      spec.apicast.productionSpec.customPolicies.push({ name: 'missing', version: '1.0', secretRef: { name: 'policy-missing' } });
    });
    await eventually(
      'Degraded names the Secret',
      async () => {
        const degraded = condition(await apim(), 'Degraded');
        return degraded?.status === 'True' && /policy-missing/.test(degraded.message ?? '');
      },
      30_000,
      300,
    );
    const after = await production();
    assert.deepEqual(after.spec.template, before.spec.template, 'a gateway whose Secret is missing is not updated');
  });

  it('applies the new policy once its Secret exists', async () => {
    await secret('policy-missing', { 'apicast-policy.json': '{}', 'index.js': 'export default class {}' });
    await eventually(
      'second policy mounted',
      async () =>
        ((await production()).spec.template.spec.containers[0]?.volumeMounts ?? []).some(
          (m) => m.mountPath === '/opt/app-root/src/policies/missing/1.0',
        ),
      30_000,
      300,
    );
    await eventually('Degraded cleared', async () => condition(await apim(), 'Degraded')?.status === 'False', 30_000, 300);
  });
});
