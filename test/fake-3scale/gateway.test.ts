/**
 * Our real gateway (`node bin/apicast.js`, production and staging) configured from
 * the fake 3scale through THREESCALE_PORTAL_ENDPOINT: a product deployed and
 * promoted through the API routes requests to an echo upstream, authorized
 * against the fake Service Management API seeded from the fake's
 * applications; a wrong key is refused; a deleted product is gone after the
 * next reload (staging) or boot (production).
 */
import assert from 'node:assert/strict';
import { FakeBackend } from '../../gateway/test-support/fake-backend.js';
import { send } from '../../gateway/test-support/http-client.js';
import { eventually, startOpsGateway, type OpsGateway } from '../../gateway/test-support/ops-gateway.js';
import { TestUpstream } from '../../gateway/test-support/upstream.js';
import { startFake3scale, type Fake3scale } from './server.js';
import { productWithBackend, TestApi } from './test-client.js';

describe('fake 3scale: our gateway loads a promoted product from it', function () {
  this.timeout(60_000);
  let fake: Fake3scale;
  let upstream: TestUpstream;
  let backend: FakeBackend | undefined;
  let gateway: OpsGateway | undefined;

  beforeEach(async () => {
    fake = await startFake3scale();
    upstream = await TestUpstream.start();
  });
  afterEach(async () => {
    await gateway?.stop();
    await backend?.stop();
    await upstream.stop();
    await fake.close();
    gateway = undefined;
    backend = undefined;
  });

  /** A product with a backend, mapping rules, a plan and an application; the fake backend knows its key. */
  async function setUp(): Promise<{ api: TestApi; serviceId: number; userKey: string }> {
    const api = new TestApi(fake.url, fake.accessToken);
    // The product's own default `GET /` rule and the backend's `GET /` rule both match.
    const { serviceId, planId } = await productWithBackend(api, upstream.url);
    const account = (await api.post('/admin/api/signup.json', { org_name: 'Dev', username: 'dev', email: 'dev@example.com' })).json.account;
    const app = (await api.post(`/admin/api/accounts/${account.id}/applications.json`, { plan_id: planId, name: 'App' })).json.application;
    backend = await FakeBackend.start(fake.backendOptions());
    fake.setBackendEndpoint(backend.url);
    const hosts = { endpoint: 'https://shop.example.com', sandbox_endpoint: 'https://shop-staging.example.com' };
    assert.equal((await api.patch(`/admin/api/services/${serviceId}/proxy.json`, hosts)).status, 200);
    await api.post(`/admin/api/services/${serviceId}/proxy/deploy.json`);
    return { api, serviceId, userKey: app.user_key as string };
  }

  const portalEnv = (environment: string, extra: Record<string, string> = {}) => ({
    THREESCALE_PORTAL_ENDPOINT: fake.portalEndpoint(),
    THREESCALE_DEPLOYMENT_ENV: environment,
    ...extra,
  });

  it("production: routes a request with the application's user_key to the upstream and refuses a wrong key; a deleted product is unknown to the next boot", async () => {
    const { api, serviceId, userKey } = await setUp();
    const version = (await api.get(`/admin/api/services/${serviceId}/proxy/configs/staging/latest.json`)).json.proxy_config.version;
    assert.equal(
      (await api.post(`/admin/api/services/${serviceId}/proxy/configs/staging/${version}/promote.json`, { to: 'production' })).status,
      201,
    );

    gateway = await startOpsGateway({ env: portalEnv('production') });
    const ok = await send(gateway.url, `/hello?user_key=${userKey}`, { host: 'shop.example.com' });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(ok.headers['x-upstream'], 'yes');
    assert.equal(upstream.last?.url, `/hello?user_key=${userKey}`);
    const authrep = backend!.callsOf('authrep')[0];
    assert.equal(authrep.params.get('service_id'), String(serviceId));
    assert.equal(authrep.params.get('service_token'), fake.tenant().services.get(serviceId)!.service_token);
    assert.equal(authrep.params.get('user_key'), userKey);
    const backendId = fake.tenant().backends.all()[0].id;
    assert.deepEqual(
      [authrep.params.get('usage[hits]'), authrep.params.get(`usage[hits.${backendId}]`)],
      ['1', '1'],
      'both rules counted, by proxy-config metric names',
    );

    const wrong = await send(gateway.url, '/hello?user_key=not-a-key', { host: 'shop.example.com' });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body, 'Authentication failed');
    assert.equal(upstream.requests.length, 1, 'the wrong key never reached the upstream');
    assert.equal(
      (await send(gateway.url, `/hello?user_key=${userKey}`, { host: 'shop-staging.example.com' })).status,
      200,
      "both endpoint hosts are the product's",
    );
    assert.ok(
      fake.calls.some(
        (c) => c.path === '/admin/api/account/proxy_configs/production.json' && c.status === 200 && c.tenant === fake.tenant().id,
      ),
    );

    assert.equal((await api.delete(`/admin/api/services/${serviceId}.json`)).status, 200);
    // A running boot-mode gateway keeps services its refresh no longer sees (gateway.md §5.3 quirk): the next boot forgets it.
    await gateway.stop();
    gateway = await startOpsGateway({ env: portalEnv('production') });
    assert.equal((await send(gateway.url, `/hello?user_key=${userKey}`, { host: 'shop.example.com' })).status, 404);
    assert.equal(upstream.requests.length, 2);
  });

  it('staging (lazy): serves the deployed staging version by host, and answers 404 on the next request once the product is deleted', async () => {
    const { api, serviceId, userKey } = await setUp();
    gateway = await startOpsGateway({ env: portalEnv('staging') });
    const g = gateway;
    assert.equal((await send(g.url, `/hello?user_key=${userKey}`, { host: 'shop-staging.example.com' })).status, 200);
    assert.ok(
      fake.calls.some((c) => c.path === '/admin/api/account/proxy_configs/staging.json' && c.query.host === 'shop-staging.example.com'),
      'asked for that host only',
    );
    assert.equal((await send(g.url, '/hello?user_key=nope', { host: 'shop-staging.example.com' })).status, 403);
    assert.equal((await api.delete(`/admin/api/services/${serviceId}.json`)).status, 200);
    await eventually(
      async () => (await send(g.url, `/hello?user_key=${userKey}`, { host: 'shop-staging.example.com' })).status === 404,
      10_000,
      'the deleted product is unknown',
    );
    assert.equal(upstream.requests.length, 1);
  });
});
