/**
 * What tests lean on besides the endpoints: the token check and its 403
 * shapes, the call record, fault injection, the admin-UI drift helper and
 * the export for the fake Service Management API.
 */
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startFake3scale, type Fake3scale } from './server.js';
import { productWithBackend, TestApi } from './test-client.js';
import { systemNameOf } from './fields.js';
import { withExplicitPort } from './urls.js';

describe('fake 3scale: tokens, call record, faults, drift', () => {
  let fake: Fake3scale;
  let api: TestApi;
  beforeEach(async () => {
    fake = await startFake3scale({ accessToken: 'tok-123' });
    api = new TestApi(fake.url, fake.accessToken);
  });
  afterEach(() => fake.close());

  it('403 without a token or with a wrong one; the token is accepted in the query, the body (form or JSON) and as Basic auth', async () => {
    assert.deepEqual((await api.withToken(undefined).get('/admin/api/services.json')).json, { error: 'Access denied' });
    const wrong = await api.withToken('nope').get('/admin/api/services.json');
    assert.deepEqual([wrong.status, wrong.json], [403, { error: 'Your access token does not have the correct permissions' }]);
    assert.equal((await api.post('/admin/api/services.json', { name: 'form' })).status, 201);
    assert.equal((await api.call('POST', '/admin/api/services.json', { json: { name: 'json' } })).status, 201);
    const basic = await api
      .withToken(undefined)
      .call('GET', '/admin/api/services.json', { headers: { authorization: `Basic ${Buffer.from('tok-123:').toString('base64')}` } });
    assert.equal(basic.json.services.length, 2);
    assert.equal(fake.tenant().services.size, 2, 'refused calls wrote nothing');
  });

  it('unknown paths and ids are 404 {"status":"Not found"}; a broken JSON body is 400', async () => {
    assert.deepEqual((await api.get('/admin/api/nothing.json')).json, { status: 'Not found' });
    assert.deepEqual((await api.get('/admin/api/services/abc.json')).json, { status: 'Not found' });
    const broken = await request(`${fake.url}/admin/api/services.json?access_token=tok-123`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    });
    assert.equal(broken.statusCode, 400);
    await broken.body.dump();
  });

  it('records every call with its parsed body and tenant, never the token; writes() are the non-GETs', async () => {
    await api.post('/admin/api/backend_apis.json', { name: 'BB', private_endpoint: 'http://b', 'backend_api[description]': 'nested' });
    await api.get('/admin/api/backend_apis.json', { page: 1 });
    await api.withToken('bad').delete('/admin/api/backend_apis/1.json');
    assert.deepEqual(
      fake.calls.map((c) => [c.method, c.path, c.status, c.tenant]),
      [
        ['POST', '/admin/api/backend_apis.json', 201, fake.tenant().id],
        ['GET', '/admin/api/backend_apis.json', 200, fake.tenant().id],
        ['DELETE', '/admin/api/backend_apis/1.json', 403, null],
      ],
    );
    assert.deepEqual(fake.calls[0].body, { name: 'BB', private_endpoint: 'http://b', backend_api: { description: 'nested' } });
    assert.deepEqual(fake.calls[1].query, { page: '1' });
    assert.equal(JSON.stringify(fake.calls).includes('tok-123'), false);
    assert.deepEqual(
      fake.writes().map((c) => c.method),
      ['POST', 'DELETE'],
    );
    assert.equal(fake.tenant().backends.all()[0].description, 'nested', 'wrapped fields are read too');
    fake.resetCalls();
    assert.equal(fake.calls.length, 0);
  });

  it('failNext answers the chosen status for matching calls only, the given number of times, and writes nothing', async () => {
    fake.failNext({ status: 500, pathPrefix: '/admin/api/services', times: 2 });
    assert.equal((await api.get('/admin/api/backend_apis.json')).status, 200, 'another path is not affected');
    const failed = await api.post('/admin/api/services.json', { name: 'PP' });
    assert.deepEqual([failed.status, failed.json], [500, { error: 'Internal Server Error' }]);
    assert.equal((await api.get('/admin/api/services.json')).status, 500);
    assert.equal((await api.post('/admin/api/services.json', { name: 'PP' })).status, 201);
    assert.equal(fake.tenant().services.size, 1);
    fake.failNext({ status: 503, method: 'DELETE' });
    assert.equal((await api.get('/admin/api/services.json')).status, 200);
    assert.equal((await api.delete('/admin/api/services/1.json')).status, 503);
    assert.deepEqual(
      fake.calls.map((c) => c.status),
      [200, 500, 500, 201, 200, 503],
    );
  });

  it('hang holds matching calls unanswered (recorded with status 0) until unhang cuts them', async () => {
    fake.hang('/admin/api/services');
    const pending = request(`${fake.url}/admin/api/services.json?access_token=tok-123`).then(
      () => 'answered',
      () => 'cut',
    );
    const outcome = await Promise.race([
      pending,
      new Promise((resolve) =>
        setTimeout(() => {
          resolve('still waiting');
        }, 300),
      ),
    ]);
    assert.equal(outcome, 'still waiting');
    assert.equal((await api.get('/admin/api/backend_apis.json')).status, 200, 'other paths answer');
    assert.deepEqual(
      fake.calls.map((c) => c.status),
      [0, 200],
    );
    fake.unhang();
    assert.equal(await pending, 'cut');
    assert.equal((await api.get('/admin/api/services.json')).status, 200);
  });

  it('adminUi changes state behind the API: updated_at moves, nothing is recorded, reads show the drift', async () => {
    const backend = (await api.post('/admin/api/backend_apis.json', { name: 'BB', private_endpoint: 'http://b' })).json.backend_api;
    const hits = fake.tenant().metrics.all()[0].id;
    const rule = (
      await api.post(`/admin/api/backend_apis/${backend.id}/mapping_rules.json`, {
        http_method: 'GET',
        pattern: '/a',
        metric_id: hits,
        delta: 1,
      })
    ).json.mapping_rule;
    fake.resetCalls();
    fake.adminUi().updateMappingRule(rule.id, { pattern: '/changed-in-ui' });
    fake.adminUi().patch('backends', backend.id, { private_endpoint: 'http://drifted' });
    assert.equal(fake.calls.length, 0);
    const read = (await api.get(`/admin/api/backend_apis/${backend.id}/mapping_rules/${rule.id}.json`)).json.mapping_rule;
    assert.equal(read.pattern, '/changed-in-ui');
    assert.ok(read.updated_at > rule.updated_at);
    assert.equal((await api.get(`/admin/api/backend_apis/${backend.id}.json`)).json.backend_api.private_endpoint, 'http://drifted');
    assert.throws(() => fake.adminUi().patch('backends', 999, {}), /no backends 999/);
  });

  it('backendOptions exports service tokens and application credentials with per-minute limits', async () => {
    const { serviceId, planId, backendHitsId, backendId } = await productWithBackend(api, 'http://u');
    await api.post(`/admin/api/application_plans/${planId}/metrics/${backendHitsId}/limits.json`, { period: 'minute', value: 3 });
    await api.post(`/admin/api/application_plans/${planId}/metrics/${backendHitsId}/limits.json`, { period: 'day', value: 100 });
    const account = (await api.post('/admin/api/signup.json', { org_name: 'DD', username: 'd', email: 'd@example.com' })).json.account;
    await api.post(`/admin/api/accounts/${account.id}/applications.json`, { plan_id: planId, name: 'AA', user_key: 'uk-1' });
    const options = fake.backendOptions();
    assert.deepEqual(options.serviceTokens, { [String(serviceId)]: fake.tenant().services.get(serviceId)!.service_token });
    assert.deepEqual(options.applications, [{ user_key: 'uk-1', active: true, limits: { [`hits.${backendId}`]: 3 } }]);
  });
});

describe('fake 3scale: endpoints with an explicit port', () => {
  it("adds the scheme's default port and leaves given ports, paths and non-URLs alone", () => {
    assert.equal(withExplicitPort('https://api.example.com'), 'https://api.example.com:443');
    assert.equal(withExplicitPort('http://b/v1?x=1'), 'http://b:80/v1?x=1');
    assert.equal(withExplicitPort('http://127.0.0.1:8080/'), 'http://127.0.0.1:8080/');
    assert.equal(withExplicitPort('wss://[::1]'), 'wss://[::1]:443');
    assert.equal(withExplicitPort('ftp://x'), 'ftp://x');
  });
});

describe('fake 3scale: derived system names', () => {
  it("follows porta's name.parameterize.underscore", () => {
    assert.equal(systemNameOf('My API v2!'), 'my_api_v2');
    assert.equal(systemNameOf('Café-Bar'), 'cafe_bar');
    assert.equal(systemNameOf('  --Pets  &  Toys-- '), 'pets_toys');
    assert.equal(systemNameOf('snake_case'), 'snake_case');
  });
});
