/** Products: the service, its proxy, policies, OIDC configuration, backend usages, and what deleting one takes with it. */
import assert from 'node:assert/strict';
import { startFake3scale, type Fake3scale } from './server.js';
import { productWithBackend, TestApi } from './test-client.js';

describe('fake 3scale: products, proxy, policies, backend usages', () => {
  let fake: Fake3scale;
  let api: TestApi;
  beforeEach(async () => {
    fake = await startFake3scale();
    api = new TestApi(fake.url, fake.accessToken);
  });
  afterEach(() => fake.close());

  it('creates a product as porta does: hits metric, a GET / rule on it, a default proxy, the apicast chain, an OIDC configuration', async () => {
    const made = await api.call('POST', '/admin/api/services.json', {
      json: { service: { name: 'Pet Store', backend_version: '2', deployment_option: 'self_managed' } },
    });
    assert.equal(made.status, 201);
    const service = made.json.service;
    assert.deepEqual([service.system_name, service.backend_version, service.deployment_option], ['pet_store', '2', 'self_managed']);
    assert.deepEqual(
      (await api.get(`/admin/api/services/${service.id}/metrics.json`)).json.metrics.map(
        (m: { metric: { system_name: string } }) => m.metric.system_name,
      ),
      ['hits'],
    );
    const proxy = (await api.get(`/admin/api/services/${service.id}/proxy.json`)).json.proxy;
    assert.equal(proxy.service_id, service.id);
    assert.equal(proxy.credentials_location, 'query');
    assert.match(proxy.endpoint, /^https:\/\/pet-store-\d+\.production\.fake3scale\.test:443$/);
    const rules = (await api.get(`/admin/api/services/${service.id}/proxy/mapping_rules.json`)).json.mapping_rules;
    const hitsId = fake.tenant().metrics.find((m) => m.owner_type === 'Service' && m.owner_id === service.id)!.id;
    assert.deepEqual(
      rules.map((r: { mapping_rule: Record<string, unknown> }) => [
        r.mapping_rule.http_method,
        r.mapping_rule.pattern,
        r.mapping_rule.metric_id,
        r.mapping_rule.delta,
      ]),
      [['GET', '/', hitsId, 1]],
    );
    assert.deepEqual((await api.get(`/admin/api/services/${service.id}/proxy/policies.json`)).json, {
      policies_config: [{ name: 'apicast', version: 'builtin', configuration: {}, enabled: true }],
    });
    assert.equal(
      (await api.get(`/admin/api/services/${service.id}/proxy/oidc_configuration.json`)).json.oidc_configuration.standard_flow_enabled,
      true,
    );
  });

  it('validates products: blank name, unknown backend_version, duplicate system_name', async () => {
    const bad = await api.post('/admin/api/services.json', { backend_version: '3' });
    assert.deepEqual(bad.json, { errors: { name: ["can't be blank"], backend_version: ['is not included in the list'] } });
    await api.post('/admin/api/services.json', { name: 'API' });
    assert.deepEqual((await api.post('/admin/api/services.json', { name: 'api' })).json, {
      errors: { system_name: ['has already been taken'] },
    });
    assert.equal((await api.put('/admin/api/services/4242.json', { name: 'x' })).status, 404);
  });

  it('PATCHes the proxy (lock_version moves), rejects bad values with 422', async () => {
    const service = (await api.post('/admin/api/services.json', { name: 'PP' })).json.service;
    const path = `/admin/api/services/${service.id}/proxy.json`;
    const before = (await api.get(path)).json.proxy;
    const patched = await api.patch(path, {
      credentials_location: 'headers',
      auth_user_key: 'X-Key',
      error_status_auth_failed: 401,
      endpoint: 'https://api.example.com',
    });
    assert.equal(patched.status, 200);
    assert.deepEqual(
      [patched.json.proxy.credentials_location, patched.json.proxy.auth_user_key, patched.json.proxy.error_status_auth_failed],
      ['headers', 'X-Key', 401],
    );
    assert.equal(patched.json.proxy.endpoint, 'https://api.example.com:443', 'endpoints get their port, as porta stores them');
    assert.equal(patched.json.proxy.lock_version, before.lock_version + 1);
    const bad = await api.patch(path, {
      credentials_location: 'cookie',
      sandbox_endpoint: 'not a url',
      error_status_no_match: 700,
      auth_user_key: 'a key',
    });
    assert.deepEqual(Object.keys(bad.json.errors).sort(), [
      'auth_user_key',
      'credentials_location',
      'error_status_no_match',
      'sandbox_endpoint',
    ]);
    assert.equal((await api.get(path)).json.proxy.credentials_location, 'headers', 'a refused update writes nothing');
  });

  it('PUTs the policy chain as a JSON string or an array; apicast is appended when missing; entries need name, version, configuration', async () => {
    const service = (await api.post('/admin/api/services.json', { name: 'PP' })).json.service;
    const path = `/admin/api/services/${service.id}/proxy/policies.json`;
    const chain = [
      { name: 'headers', version: 'builtin', configuration: { request: [] }, enabled: true },
      { name: 'apicast', version: 'builtin', configuration: {}, enabled: true },
    ];
    const asString = await api.put(path, { policies_config: JSON.stringify(chain) });
    assert.deepEqual([asString.status, asString.json], [200, { policies_config: chain }]);
    const asJson = await api.call('PUT', path, { json: { policies_config: chain.slice(1) } });
    assert.deepEqual(asJson.json.policies_config, chain.slice(1));
    const withoutApicast = await api.call('PUT', path, {
      json: { policies_config: [{ name: 'cors', version: 'builtin', configuration: {} }] },
    });
    assert.deepEqual(
      withoutApicast.json.policies_config,
      [{ name: 'cors', version: 'builtin', configuration: {} }, chain[1]],
      'enabled kept as sent (absent), apicast appended',
    );
    assert.equal((await api.put(path, { policies_config: '[{"version":"builtin","configuration":{}}]' })).status, 422);
    assert.equal(
      (await api.put(path, { policies_config: '[{"name":"cors","version":"builtin"}]' })).status,
      422,
      'configuration is required',
    );
    assert.equal((await api.put(path, { policies_config: 'not json' })).status, 422);
  });

  it('backend usages: unknown backend 404, a path once per product, normalized paths, update of path', async () => {
    const service = (await api.post('/admin/api/services.json', { name: 'PP' })).json.service;
    const backend = (await api.post('/admin/api/backend_apis.json', { name: 'BB', private_endpoint: 'http://b' })).json.backend_api;
    const other = (await api.post('/admin/api/backend_apis.json', { name: 'CC', private_endpoint: 'http://c' })).json.backend_api;
    const base = `/admin/api/services/${service.id}/backend_usages`;
    assert.deepEqual((await api.post(`${base}.json`, { backend_api_id: 999, path: '/' })).json, { status: 'Not found' });
    const usage = await api.post(`${base}.json`, { backend_api_id: backend.id, path: 'v1/' });
    assert.equal(usage.status, 201);
    assert.deepEqual(
      [usage.json.backend_usage.path, usage.json.backend_usage.backend_id, usage.json.backend_usage.service_id],
      ['/v1', backend.id, service.id],
    );
    assert.deepEqual((await api.post(`${base}.json`, { backend_api_id: other.id, path: '/v1' })).json.errors, {
      path: ['has already been taken'],
    });
    const moved = await api.put(`${base}/${usage.json.backend_usage.id}.json`, { path: '/v2' });
    assert.equal(moved.json.backend_usage.path, '/v2');
    assert.deepEqual(
      (JSON.parse((await api.get(`${base}.json`)).text) as { backend_usage: { path: string } }[]).map((u) => u.backend_usage.path),
      ['/v2'],
      'a bare array, as porta answers',
    );
  });

  it('deleting a product deletes its plans, limits, applications, usages, rules and proxy configs, not its backends', async () => {
    const { serviceId, backendId, planId, backendHitsId } = await productWithBackend(api, 'http://upstream.example.com');
    await api.post(`/admin/api/application_plans/${planId}/metrics/${backendHitsId}/limits.json`, { period: 'minute', value: 10 });
    const account = (await api.post('/admin/api/signup.json', { org_name: 'Dev', username: 'dev', email: 'dev@example.com' })).json.account;
    await api.post(`/admin/api/accounts/${account.id}/applications.json`, { plan_id: planId, name: 'App' });
    assert.equal((await api.post(`/admin/api/services/${serviceId}/proxy/deploy.json`)).status, 201);
    const tenant = fake.tenant();
    assert.equal(tenant.proxyConfigs.size, 1);
    assert.equal((await api.delete(`/admin/api/services/${serviceId}.json`)).status, 200);
    for (const table of ['plans', 'limits', 'applications', 'backendUsages', 'proxyConfigs', 'proxies'] as const) {
      assert.equal(tenant.collection(table).size, 0, `${table} emptied`);
    }
    assert.ok(tenant.backends.get(backendId), 'the backend stays');
    assert.equal(tenant.mappingRules.where((r) => r.owner_type === 'BackendApi').length, 1, "the backend's rules stay");
    assert.equal(tenant.accounts.size, 1, 'the developer account stays');
  });
});
