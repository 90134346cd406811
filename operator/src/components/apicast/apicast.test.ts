import assert from 'node:assert/strict';
import { build, containerOf, envNotation, find, secretData } from '../../testing/build.js';

describe('apicast builder (operator-objects §4.9)', () => {
  const result = build({ apicast: { managementAPI: 'debug', openSSLVerify: true, responseCodes: false, stagingSpec: { replicas: 2 } } });

  it('staging and production env: master proxy-configs endpoint, internal backend, loader/cache/env', () => {
    const expected = (loader: string, cache: string, env: string) => ({
      THREESCALE_PORTAL_ENDPOINT: 'sec:system-master-apicast/PROXY_CONFIGS_ENDPOINT',
      BACKEND_ENDPOINT_OVERRIDE: 'sec:backend-listener/service_endpoint',
      APICAST_MANAGEMENT_API: 'cm:apicast-environment/APICAST_MANAGEMENT_API',
      OPENSSL_VERIFY: 'cm:apicast-environment/OPENSSL_VERIFY',
      APICAST_RESPONSE_CODES: 'cm:apicast-environment/APICAST_RESPONSE_CODES',
      APICAST_EXTENDED_METRICS: '"true"',
      APICAST_CONFIGURATION_LOADER: JSON.stringify(loader),
      APICAST_CONFIGURATION_CACHE: JSON.stringify(cache),
      THREESCALE_DEPLOYMENT_ENV: JSON.stringify(env),
    });
    const staging = containerOf(find(result, 'DeploymentConfig', 'apicast-staging'), 'apicast-staging');
    assert.deepEqual(Object.entries(envNotation(staging.env)), Object.entries(expected('lazy', '0', 'staging')));
    const production = containerOf(find(result, 'DeploymentConfig', 'apicast-production'), 'apicast-production');
    assert.deepEqual(Object.entries(envNotation(production.env)), Object.entries(expected('boot', '300', 'production')));
    assert.deepEqual(
      production.ports?.map((p) => p.containerPort),
      [8080, 8090, 9421],
    );
    assert.deepEqual(production.livenessProbe, {
      httpGet: { path: '/status/live', port: 8090 },
      initialDelaySeconds: 10,
      timeoutSeconds: 5,
      periodSeconds: 10,
    });
  });

  it('only production waits for system-master; replicas from the CR', () => {
    const production = find(result, 'DeploymentConfig', 'apicast-production');
    assert.equal(containerOf(production, 'system-master-svc', true).image, 'amp-apicast:latest');
    const staging = find(result, 'DeploymentConfig', 'apicast-staging');
    assert.equal((staging.spec as { template: { spec: { initContainers?: unknown } } }).template.spec.initContainers, undefined);
    assert.equal((staging.spec as { replicas: number }).replicas, 2);
  });

  it('apicast-environment holds the CR settings as strings and is field-reconciled', () => {
    const entry = result.objects.find((o) => o.object.metadata.name === 'apicast-environment');
    assert.deepEqual(entry?.object.data, { APICAST_MANAGEMENT_API: 'debug', OPENSSL_VERIFY: 'true', APICAST_RESPONSE_CODES: 'false' });
    assert.deepEqual(entry.reconcile, {
      mode: 'fields',
      paths: ['data.APICAST_MANAGEMENT_API', 'data.OPENSSL_VERIFY', 'data.APICAST_RESPONSE_CODES'],
    });
  });

  it('services expose gateway 8080 and management 8090', () => {
    assert.deepEqual((find(result, 'Service', 'apicast-staging').spec as { ports: unknown }).ports, [
      { name: 'gateway', port: 8080, protocol: 'TCP', targetPort: 8080 },
      { name: 'management', port: 8090, protocol: 'TCP', targetPort: 8090 },
    ]);
  });

  it('apicast-configuration-url-secret embeds the effective admin access token', () => {
    const token = secretData(result, 'system-seed').ADMIN_ACCESS_TOKEN;
    const secret = find(result, 'Secret', 'apicast-configuration-url-secret');
    assert.equal(secret.type, 'kubernetes.io/basic-auth');
    assert.equal(secretData(result, 'apicast-configuration-url-secret').password, `https://${token}@3scale-admin.example.com`);
  });
});
