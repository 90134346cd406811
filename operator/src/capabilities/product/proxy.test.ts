import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { proxySettings, serviceSettings } from './proxy.js';
import { desiredPolicies, policiesEqual } from './policies.js';

describe("capabilities: a Product's gateway settings and policy chain", () => {
  it('self-managed user-key products: endpoints, key name and location, error responses; nothing else', () => {
    const spec = {
      name: 'P',
      deployment: {
        apicastSelfManaged: {
          stagingPublicBaseURL: 'https://s.example.com',
          productionPublicBaseURL: 'https://p.example.com',
          authentication: {
            userkey: { authUserKey: 'api-key', credentials: 'headers' as const, gatewayResponse: { errorStatusAuthFailed: 401 } },
          },
        },
      },
    };
    assert.deepEqual(serviceSettings(spec), { deployment_option: 'self_managed', backend_version: '1' });
    assert.deepEqual(proxySettings(spec), {
      endpoint: 'https://p.example.com',
      sandbox_endpoint: 'https://s.example.com',
      credentials_location: 'headers',
      error_status_auth_failed: 401,
      auth_user_key: 'api-key',
    });
  });

  it('app id/key and OIDC products map to backend_version 2 and oidc', () => {
    assert.equal(
      serviceSettings({ name: 'P', deployment: { apicastHosted: { authentication: { appKeyAppID: { appID: 'id' } } } } }).backend_version,
      '2',
    );
    assert.equal(
      serviceSettings({
        name: 'P',
        deployment: { apicastHosted: { authentication: { oidc: { issuerType: 'keycloak', issuerEndpoint: 'https://k' } } } },
      }).backend_version,
      'oidc',
    );
    assert.deepEqual(serviceSettings({ name: 'P' }), { deployment_option: undefined, backend_version: undefined });
  });

  it('reads configurationRef Secrets; a missing one or bad JSON is named', () => {
    const spec = { name: 'P', policies: [{ name: 'headers', version: 'builtin', enabled: true, configurationRef: { name: 'cfg' } }] };
    // 3scale keeps apicast in every chain: a chain without it gets it last.
    assert.deepEqual(
      desiredPolicies(spec, () => ({ configuration: '{"request":[]}' })),
      {
        ok: true,
        chain: [
          { name: 'headers', version: 'builtin', configuration: { request: [] }, enabled: true },
          { name: 'apicast', version: 'builtin', configuration: {}, enabled: true },
        ],
      },
    );
    assert.match(JSON.stringify(desiredPolicies(spec, () => undefined)), /spec.policies\[0\].configurationRef.*does not exist/);
    assert.match(JSON.stringify(desiredPolicies(spec, () => ({ configuration: '{' }))), /is not JSON/);
    assert.deepEqual(
      desiredPolicies({ name: 'P' }, () => undefined),
      { ok: true, chain: undefined },
    );
  });

  it('compares chains as JSON values, not as text', () => {
    assert.ok(
      policiesEqual(
        [{ name: 'a', version: 'builtin', configuration: { x: 1, y: 2 }, enabled: true }],
        [{ enabled: true, configuration: { y: 2, x: 1 }, version: 'builtin', name: 'a' }],
      ),
    );
    assert.ok(
      !policiesEqual(
        [{ name: 'a', version: 'builtin', configuration: {}, enabled: true }],
        [{ name: 'a', version: 'builtin', configuration: {}, enabled: false }],
      ),
    );
  });
});
