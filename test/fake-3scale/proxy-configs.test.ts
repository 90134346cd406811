/**
 * Proxy configs: deploy freezes the current state into a staging version
 * the gateway's schema accepts, promote copies a version to production, and
 * the account endpoint pages and filters them by host as our remote-v2
 * loader reads them.
 */
import assert from 'node:assert/strict';
import { serviceProblem } from '../../gateway/src/portal/remote-v2.js';
import { startFake3scale, type Fake3scale } from './server.js';
import { productWithBackend, TestApi } from './test-client.js';

describe('fake 3scale: proxy configs (deploy, promote, account endpoint)', () => {
  let fake: Fake3scale;
  let api: TestApi;
  beforeEach(async () => {
    fake = await startFake3scale({ backendEndpoint: 'http://127.0.0.1:3001' });
    api = new TestApi(fake.url, fake.accessToken);
  });
  afterEach(() => fake.close());

  const configs = (serviceId: number, env: string) => `/admin/api/services/${serviceId}/proxy/configs/${env}`;

  it('deploy builds staging version 1 from the product, its backends and policies; the content passes the gateway schema', async () => {
    const { serviceId, backendId, backendHitsId } = await productWithBackend(api, 'http://upstream.local:8080');
    const productHits = fake.tenant().metrics.find((m) => m.owner_type === 'Service' && m.owner_id === serviceId)!.id;
    await api.post(`/admin/api/services/${serviceId}/proxy/mapping_rules.json`, {
      http_method: 'POST',
      pattern: '/orders',
      metric_id: productHits,
      delta: 3,
      last: true,
    });
    await api.put(`/admin/api/services/${serviceId}/proxy/policies.json`, {
      policies_config: JSON.stringify([
        { name: 'headers', version: 'builtin', configuration: {}, enabled: true },
        { name: 'cors', version: 'builtin', configuration: {}, enabled: false },
        { name: 'echo', version: 'builtin', configuration: {} },
      ]),
    });
    assert.equal((await api.get(`${configs(serviceId, 'staging')}/latest.json`)).status, 404, 'nothing before the first deploy');
    const deployed = await api.post(`/admin/api/services/${serviceId}/proxy/deploy.json`);
    assert.equal(deployed.status, 201);
    assert.equal(deployed.json.proxy.service_id, serviceId);

    const latest = (await api.get(`${configs(serviceId, 'staging')}/latest.json`)).json.proxy_config;
    assert.deepEqual([latest.version, latest.environment], [1, 'sandbox']);
    const content = latest.content;
    assert.equal(serviceProblem(content), undefined, 'our gateway accepts it');
    assert.deepEqual([content.id, content.backend_version, content.backend_authentication_type], [serviceId, '1', 'service_token']);
    assert.equal(content.backend_authentication_value, fake.tenant().services.get(serviceId)!.service_token);
    assert.equal(content.proxy.api_backend, 'http://upstream.local:8080');
    assert.deepEqual(content.proxy.backend, { endpoint: 'http://127.0.0.1:3001', host: '127.0.0.1' });
    assert.equal(content.proxy.hosts.length, 2);
    assert.deepEqual(
      content.proxy.proxy_rules.map((r: Record<string, unknown>) => [r.http_method, r.pattern, r.metric_system_name, r.delta, r.last]),
      [
        ['GET', '/', 'hits', 1, false], // the product's default rule
        ['POST', '/orders', 'hits', 3, true],
        ['GET', '/', `hits.${backendId}`, 1, false],
      ],
    );
    assert.equal(content.proxy.proxy_rules[2].metric_id, backendHitsId);
    assert.deepEqual(
      content.proxy.policy_chain.map((p: { name: string }) => p.name),
      ['headers', 'apicast'],
      'disabled policies and those without enabled are left out, apicast added',
    );
  });

  it('a backend at a path: its rules are prefixed and a routing policy sends that path to it', async () => {
    const { serviceId } = await productWithBackend(api, 'http://root.local');
    const second = (await api.post('/admin/api/backend_apis.json', { name: 'Second', private_endpoint: 'http://second.local' })).json
      .backend_api;
    const hits = fake.tenant().metrics.find((m) => m.owner_id === second.id && m.owner_type === 'BackendApi')!.id;
    await api.post(`/admin/api/backend_apis/${second.id}/mapping_rules.json`, {
      http_method: 'GET',
      pattern: '/items',
      metric_id: hits,
      delta: 1,
    });
    await api.post(`/admin/api/services/${serviceId}/backend_usages.json`, { backend_api_id: second.id, path: '/v2' });
    await api.post(`/admin/api/services/${serviceId}/proxy/deploy.json`);
    const content = (await api.get(`${configs(serviceId, 'sandbox')}/latest.json`)).json.proxy_config.content;
    assert.equal(serviceProblem(content), undefined);
    assert.ok(content.proxy.proxy_rules.some((r: { pattern: string }) => r.pattern === '/v2/items'));
    const routing = content.proxy.policy_chain.find((p: { name: string }) => p.name === 'routing');
    assert.deepEqual(
      (routing!.configuration.rules as { url: string; replace_path?: string }[]).map((r) => [r.url, r.replace_path]),
      [
        ['http://second.local:80', "{{original_request.path | remove_first: '/v2'}}"],
        ['http://root.local:80', undefined],
      ],
    );
    assert.deepEqual(
      content.proxy.policy_chain.map((p: { name: string }) => p.name),
      ['routing', 'apicast'],
    );
  });

  it('deploying an unchanged product makes no new version; a change makes version N+1; a PATCH of the proxy deploys too', async () => {
    const { serviceId } = await productWithBackend(api, 'http://u');
    await api.post(`/admin/api/services/${serviceId}/proxy/deploy.json`);
    await api.post(`/admin/api/services/${serviceId}/proxy/deploy.json`);
    assert.deepEqual(
      (await api.get(`${configs(serviceId, 'staging')}.json`)).json.proxy_configs.map(
        (c: { proxy_config: { version: number } }) => c.proxy_config.version,
      ),
      [1],
    );
    await api.patch(`/admin/api/services/${serviceId}/proxy.json`, { error_auth_failed: 'Go away' });
    const latest = (await api.get(`${configs(serviceId, 'staging')}/latest.json`)).json.proxy_config;
    assert.deepEqual([latest.version, latest.content.proxy.error_auth_failed], [2, 'Go away']);
    assert.equal(
      (await api.get(`${configs(serviceId, 'staging')}/1.json`)).json.proxy_config.content.proxy.error_auth_failed,
      'Authentication failed',
      'old versions are frozen',
    );
  });

  it('a product without any backend or api_backend gets no config (porta: api_backend missing)', async () => {
    const service = (await api.post('/admin/api/services.json', { name: 'Lonely' })).json.service;
    assert.equal((await api.post(`/admin/api/services/${service.id}/proxy/deploy.json`)).status, 201);
    assert.equal(fake.tenant().proxyConfigs.size, 0);
  });

  it('promote copies a staging version to production with the same version; the same version twice is 422', async () => {
    const { serviceId } = await productWithBackend(api, 'http://u');
    await api.post(`/admin/api/services/${serviceId}/proxy/deploy.json`);
    const promoted = await api.call('POST', `${configs(serviceId, 'sandbox')}/1/promote.json`, { query: { to: 'production' }, form: {} });
    assert.equal(promoted.status, 201);
    assert.deepEqual([promoted.json.proxy_config.version, promoted.json.proxy_config.environment], [1, 'production']);
    const staging = (await api.get(`${configs(serviceId, 'staging')}/1.json`)).json.proxy_config;
    assert.deepEqual(promoted.json.proxy_config.content, staging.content);
    const again = await api.call('POST', `${configs(serviceId, 'sandbox')}/1/promote.json`, { query: { to: 'production' }, form: {} });
    assert.deepEqual([again.status, again.json], [422, { errors: { version: ['has already been taken'] } }]);
    assert.equal((await api.post(`${configs(serviceId, 'sandbox')}/7/promote.json`, { to: 'production' })).status, 404);
    assert.equal((await api.post(`${configs(serviceId, 'sandbox')}/1/promote.json`)).status, 400, 'to is required');
    assert.deepEqual((await api.get(`${configs(serviceId, 'qa')}.json`)).json, { error: 'invalid environment' });
    assert.equal((await api.get(`${configs(serviceId, 'production')}/latest.json`)).json.proxy_config.version, 1);
  });

  it("the account endpoint: every product's latest by id, host= filter, version=, pagination; deleting a product removes its configs", async () => {
    const ids: number[] = [];
    for (const name of ['One', 'Two', 'Three']) {
      const { serviceId } = await productWithBackend(api, 'http://u', name);
      await api.post(`/admin/api/services/${serviceId}/proxy/deploy.json`);
      fake.adminUi().promoteLatest(serviceId);
      ids.push(serviceId);
    }
    await api.patch(`/admin/api/services/${ids[0]}/proxy.json`, { endpoint: 'https://one.example.com' });
    fake.adminUi().promoteLatest(ids[0]);
    const path = '/admin/api/account/proxy_configs/production.json';
    const page = async (query: Record<string, string | number>) =>
      (await api.get(path, query)).json.proxy_configs.map((c: { proxy_config: { content: { id: number }; version: number } }) => [
        c.proxy_config.content.id,
        c.proxy_config.version,
      ]);
    assert.deepEqual(
      await page({ version: 'latest' }),
      [
        [ids[1], 1],
        [ids[2], 1],
        [ids[0], 2],
      ],
      'newest of each, by config id',
    );
    assert.deepEqual(await page({ version: 'latest', host: 'one.example.com' }), [[ids[0], 2]]);
    assert.deepEqual(await page({ version: 'latest', host: 'nowhere.example.com' }), []);
    assert.deepEqual(await page({ version: 1 }), [
      [ids[0], 1],
      [ids[1], 1],
      [ids[2], 1],
    ]);
    assert.deepEqual(await page({ version: 'latest', per_page: 2, page: 2 }), [[ids[0], 2]]);
    const byHost = await api.get('/admin/api/services/proxy/configs/production.json', { host: 'one.example.com' });
    assert.equal(byHost.json.proxy_configs.length, 1);
    await api.delete(`/admin/api/services/${ids[0]}.json`);
    assert.deepEqual(await page({ version: 'latest', host: 'one.example.com' }), []);
    assert.equal((await page({ version: 'latest' })).length, 2);
  });
});
