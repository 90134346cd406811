import assert from 'node:assert/strict';
import { build, containerOf, find, modelOf } from '../../testing/build.js';
import { resolveSecrets } from '../../secrets/resolve.js';
import { operatorValueSource } from '../../secrets/value-source.js';
import { buildApiManagerObjects } from '../index.js';
import { applyFlavour } from '../../flavours/index.js';
import type { APIManagerSpec } from '../../api/types.js';
import type { KubeObject } from '../common/desired.js';
import { GATEWAY_SECRETS_HASH } from './index.js';

type Secrets = Record<string, Record<string, string>>;
const SECRETS: Secrets = {
  'policy-hello': { 'apicast-policy.json': '{}', 'index.js': 'export default {}' },
  'otel-config': { 'b.json': '{}', 'a.json': '{"exporter":"otlp"}' },
  'gateway-tls': { 'tls.crt': 'CERT', 'tls.key': 'KEY' },
  'env-one': { 'extra.lua': 'return {}' },
};

const GATEWAY: Partial<APIManagerSpec> = {
  apicast: {
    productionSpec: {
      customPolicies: [{ name: 'hello', version: '0.1', secretRef: { name: 'policy-hello' } }],
      customEnvironments: [{ secretRef: { name: 'env-one' } }],
      openTelemetry: { enabled: true, tracingConfigSecretRef: { name: 'otel-config' } },
      httpsCertificateSecretRef: { name: 'gateway-tls' },
      httpsVerifyDepth: 2,
      httpProxy: 'http://proxy.corp:3128',
      noProxy: 'backend-listener,system-master',
      serviceCacheSize: 500,
      workers: 2,
      logLevel: 'debug',
      httpsVerifyClient: 'off',
      proxyBufferSize: '32k',
      largeClientHeaderBuffers: '4 12k',
      socketKeepaliveRequests: 100,
      accessLogBuffer: '64k',
      batcherSharedMemorySize: '20m',
    },
  },
};

/** The operator's build: the Secrets of the namespace are visible to the builders. */
function operatorBuild(spec: Partial<APIManagerSpec>, secrets: Secrets) {
  const model = modelOf(spec);
  const resolution = resolveSecrets(model, new Map(), operatorValueSource, { checkUserSecrets: false });
  return applyFlavour(buildApiManagerObjects({ model, secrets: resolution, lookupSecret: (name) => secrets[name] }), 'openshift', model);
}

const envOf = (dc: KubeObject, name: string) =>
  Object.fromEntries((containerOf(dc, name).env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
const podAnnotations = (dc: KubeObject) =>
  (dc.spec as { template: { metadata: { annotations?: Partial<Record<string, string>> } } }).template.metadata.annotations ?? {};

describe('embedded gateway settings (customPolicies, customEnvironments, openTelemetry, https, proxies)', () => {
  const result = operatorBuild(GATEWAY, SECRETS);
  const production = find(result, 'DeploymentConfig', 'apicast-production');

  it('sets the gateway variables from the settings', () => {
    const env = envOf(production, 'apicast-production');
    assert.equal(env.APICAST_HTTPS_PORT, '8443');
    assert.equal(env.APICAST_HTTPS_VERIFY_DEPTH, '2');
    assert.equal(env.APICAST_HTTPS_CERTIFICATE, '/var/run/secrets/tls/tls.crt');
    assert.equal(env.APICAST_HTTPS_CERTIFICATE_KEY, '/var/run/secrets/tls/tls.key');
    assert.equal(env.OPENTELEMETRY, '1');
    assert.equal(env.OPENTELEMETRY_CONFIG, '/opt/app-root/src/tracing-configs/otel-config/a.json', 'no key given: the first key in order');
    assert.equal(env.APICAST_ENVIRONMENT, '/opt/app-root/src/environments/env-one/extra.lua');
    assert.equal(env.HTTP_PROXY, 'http://proxy.corp:3128');
    assert.equal(env.NO_PROXY, 'backend-listener,system-master');
    assert.equal(env.APICAST_SERVICE_CACHE_SIZE, '500');
    assert.equal(env.APICAST_WORKERS, '2');
    assert.equal(env.APICAST_LOG_LEVEL, 'debug');
    // Ours: variables our gateway honours that no upstream operator exposes.
    assert.equal(env.APICAST_HTTPS_VERIFY_CLIENT, 'off');
    assert.equal(env.APICAST_PROXY_BUFFER_SIZE, '32k');
    assert.equal(env.APICAST_LARGE_CLIENT_HEADER_BUFFERS, '4 12k');
    assert.equal(env.APICAST_LUA_SOCKET_KEEPALIVE_REQUESTS, '100');
    assert.equal(env.APICAST_ACCESS_LOG_BUFFER, '64k');
    assert.equal(env.APICAST_POLICY_BATCHER_SHARED_MEMORY_SIZE, '20m');
  });

  it('the CRD schema refuses a malformed size or header-buffer value, naming the field', async () => {
    const { validateCr } = await import('../../api/validate.js');
    const errors = validateCr('APIManager', {
      apiVersion: 'apps.3scale.net/v1alpha1',
      kind: 'APIManager',
      metadata: { name: 'x' },
      spec: { wildcardDomain: 'example.com', apicast: { productionSpec: { proxyBufferSize: '16 kb', largeClientHeaderBuffers: '12k' } } },
    });
    const paths = errors.map((e) => e.path).join(' ');
    assert.match(paths, /proxyBufferSize/);
    assert.match(paths, /largeClientHeaderBuffers/);
  });

  it('mounts each Secret where the gateway looks for it and exposes the HTTPS port', () => {
    const c = containerOf(production, 'apicast-production');
    assert.deepEqual(
      c.volumeMounts?.map((v) => v.mountPath),
      [
        '/opt/app-root/src/policies/hello/0.1',
        '/opt/app-root/src/environments/env-one',
        '/opt/app-root/src/tracing-configs/otel-config',
        '/var/run/secrets/tls',
      ],
    );
    assert.ok(c.ports?.some((p) => p.name === 'httpsproxy' && p.containerPort === 8443));
    const ports = (find(result, 'Service', 'apicast-production').spec as { ports: { name: string; port: number }[] }).ports;
    assert.deepEqual(
      ports.map((p) => `${p.name}:${p.port}`),
      ['gateway:8080', 'management:8090', 'httpsproxy:8443'],
    );
  });

  it('leaves the other gateway and a 2.9 CR as they were', () => {
    assert.deepEqual(
      find(result, 'DeploymentConfig', 'apicast-staging'),
      find(operatorBuild({}, SECRETS), 'DeploymentConfig', 'apicast-staging'),
    );
    assert.equal(GATEWAY_SECRETS_HASH in podAnnotations(find(operatorBuild({}, SECRETS), 'DeploymentConfig', 'apicast-production')), false);
  });

  it('a change to any referenced Secret changes the pod template (a rollout), an unrelated one does not', () => {
    const before = podAnnotations(production)[GATEWAY_SECRETS_HASH];
    assert.match(before ?? '', /^[0-9a-f]{64}$/);
    const rotated = podAnnotations(
      find(
        operatorBuild(GATEWAY, { ...SECRETS, 'gateway-tls': { 'tls.crt': 'NEW', 'tls.key': 'KEY' } }),
        'DeploymentConfig',
        'apicast-production',
      ),
    )[GATEWAY_SECRETS_HASH];
    assert.notEqual(rotated, before);
    const unrelated = podAnnotations(
      find(operatorBuild(GATEWAY, { ...SECRETS, other: { a: 'b' } }), 'DeploymentConfig', 'apicast-production'),
    )[GATEWAY_SECRETS_HASH];
    assert.equal(unrelated, before);
  });

  it('reports a missing Secret or key by name, never a value', () => {
    const { 'policy-hello': _policy, ...rest } = SECRETS;
    const findings = operatorBuild(GATEWAY, { ...rest, 'gateway-tls': { 'tls.crt': 'CERT' } }).findings;
    assert.deepEqual(
      findings.filter((f) => f.secret !== undefined && ['policy-hello', 'gateway-tls'].includes(f.secret)),
      [
        { secret: 'policy-hello', reason: 'secret not found' },
        { secret: 'gateway-tls', key: 'tls.key', reason: 'key missing' },
      ],
    );
    assert.ok(!JSON.stringify(findings).includes('CERT'));
  });

  it('render (no cluster) builds the same objects without the hash and with the fallback tracing key', () => {
    const rendered = find(build(GATEWAY), 'DeploymentConfig', 'apicast-production');
    assert.equal(GATEWAY_SECRETS_HASH in podAnnotations(rendered), false);
    assert.equal(envOf(rendered, 'apicast-production').OPENTELEMETRY_CONFIG, '/opt/app-root/src/tracing-configs/otel-config/config');
  });

  it('refuses inconsistent settings, naming the field', () => {
    assert.throws(
      () => modelOf({ apicast: { stagingSpec: { httpsPort: 8090 } } }),
      /spec\.apicast\.stagingSpec\.httpsPort.*management API/,
    );
    assert.throws(
      () => modelOf({ apicast: { stagingSpec: { httpsVerifyDepth: 3 } } }),
      /spec\.apicast\.stagingSpec\.httpsVerifyDepth.*no HTTPS listener/,
    );
    const dup = { name: 'p', version: '1', secretRef: { name: 's' } };
    assert.throws(
      () => modelOf({ apicast: { productionSpec: { customPolicies: [dup, dup] } } }),
      /customPolicies\[1\].*duplicate policy p\/1/,
    );
    assert.throws(
      () => modelOf({ apicast: { productionSpec: { openTelemetry: { enabled: true, tracingConfigSecretKey: 'k' } } } }),
      /tracingConfigSecretKey.*needs tracingConfigSecretRef/,
    );
  });
});
