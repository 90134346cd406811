/** Backends, their metrics, methods and mapping rules: create/read/update/delete and porta's validation. */
import assert from 'node:assert/strict';
import { startFake3scale, type Fake3scale } from './server.js';
import { TestApi } from './test-client.js';

describe('fake 3scale: backends, metrics, methods, mapping rules', () => {
  let fake: Fake3scale;
  let api: TestApi;
  beforeEach(async () => {
    fake = await startFake3scale({ accessToken: 'provider-token' });
    api = new TestApi(fake.url, fake.accessToken);
  });
  afterEach(() => fake.close());

  it('creates a backend with a derived system_name and its hits metric, reads, updates and deletes it', async () => {
    const made = await api.post('/admin/api/backend_apis.json', { name: 'My Backend v2!', private_endpoint: 'https://echo.example.com' });
    assert.equal(made.status, 201);
    const backend = made.json.backend_api;
    assert.equal(backend.system_name, 'my_backend_v2');
    assert.equal(backend.private_endpoint, 'https://echo.example.com:443', 'stored with its port, as porta does');
    assert.equal(backend.account_id, fake.tenant().id);
    const metrics = await api.get(`/admin/api/backend_apis/${backend.id}/metrics.json`);
    assert.deepEqual(
      metrics.json.metrics.map((m: { metric: { system_name: string; unit: string } }) => [m.metric.system_name, m.metric.unit]),
      [['hits', 'hit']],
    );

    const updated = await api.put(`/admin/api/backend_apis/${backend.id}.json`, { description: 'changed', system_name: 'ignored' });
    assert.equal(updated.status, 200);
    assert.equal(updated.json.backend_api.description, 'changed');
    assert.equal(updated.json.backend_api.system_name, 'my_backend_v2', 'system_name cannot change');
    assert.ok(updated.json.backend_api.updated_at > backend.updated_at);

    const gone = await api.delete(`/admin/api/backend_apis/${backend.id}.json`);
    assert.equal(gone.status, 200);
    assert.equal(gone.text, '');
    assert.deepEqual((await api.get(`/admin/api/backend_apis/${backend.id}.json`)).json, { status: 'Not found' });
    assert.equal(fake.tenant().metrics.size, 0, 'its metrics went with it');
  });

  it('answers 422 with field errors: blank name, bad endpoint, duplicate system_name', async () => {
    assert.deepEqual(
      (await api.post('/admin/api/backend_apis.json', { name: 'x', system_name: 'a', private_endpoint: 'http://x' })).json.errors,
      { system_name: ['is invalid'] },
    );
    const blank = await api.post('/admin/api/backend_apis.json', { private_endpoint: 'ftp://x' });
    assert.equal(blank.status, 422);
    assert.deepEqual(Object.keys(blank.json.errors).sort(), ['name', 'private_endpoint']);
    assert.deepEqual(blank.json.errors.name, ["can't be blank"]);
    await api.post('/admin/api/backend_apis.json', { name: 'AA', system_name: 'same', private_endpoint: 'http://a' });
    const again = await api.post('/admin/api/backend_apis.json', { name: 'BB', system_name: 'same', private_endpoint: 'http://b' });
    assert.deepEqual([again.status, again.json], [422, { errors: { system_name: ['has already been taken'] } }]);
    assert.equal(fake.tenant().backends.size, 1, 'nothing half-written');
  });

  it('refuses to delete a backend a product uses (422), and allows it once the usage is gone', async () => {
    const backend = (await api.post('/admin/api/backend_apis.json', { name: 'BB', private_endpoint: 'http://b' })).json.backend_api;
    const service = (await api.post('/admin/api/services.json', { name: 'PP' })).json.service;
    const usage = (await api.post(`/admin/api/services/${service.id}/backend_usages.json`, { backend_api_id: backend.id, path: '/v1' }))
      .json.backend_usage;
    const refused = await api.delete(`/admin/api/backend_apis/${backend.id}.json`);
    assert.deepEqual(
      [refused.status, refused.json],
      [422, { errors: { base: ['cannot be deleted because it is used by at least one Product'] } }],
    );
    assert.equal((await api.delete(`/admin/api/services/${service.id}/backend_usages/${usage.id}.json`)).status, 200);
    assert.equal((await api.delete(`/admin/api/backend_apis/${backend.id}.json`)).status, 200);
  });

  it('metrics and methods: unique system_name per parent, methods under a metric, unknown parent 404', async () => {
    const backend = (await api.post('/admin/api/backend_apis.json', { name: 'BB', private_endpoint: 'http://b' })).json.backend_api;
    const base = `/admin/api/backend_apis/${backend.id}/metrics`;
    const metric = await api.post(`${base}.json`, { friendly_name: 'Bytes Out', unit: 'byte' });
    assert.equal(metric.status, 201);
    assert.equal(metric.json.metric.system_name, 'bytes_out');
    assert.equal((await api.post(`${base}.json`, { friendly_name: 'No unit' })).json.errors.unit[0], "can't be blank");
    const hitsId = fake.tenant().metrics.find((m) => m.system_name === 'hits')!.id;
    const method = await api.post(`${base}/${hitsId}/methods.json`, { friendly_name: 'Get Items' });
    assert.equal(method.status, 201);
    assert.equal(method.json.method.parent_id, hitsId);
    const clash = await api.post(`${base}/${hitsId}/methods.json`, { friendly_name: 'x', system_name: 'bytes_out' });
    assert.deepEqual(clash.json, { errors: { system_name: ['has already been taken'] } }, 'metrics and methods share one namespace');
    assert.equal(
      (await api.put(`${base}/${hitsId}/methods/${method.json.method.id}.json`, { friendly_name: 'Renamed' })).json.method.friendly_name,
      'Renamed',
    );
    assert.equal((await api.get(`${base}/${hitsId}/methods.json`)).json.methods.length, 1);
    assert.equal((await api.get('/admin/api/backend_apis/9999/metrics.json')).status, 404);
    assert.equal((await api.get(`${base}/${method.json.method.id}.json`)).status, 404, 'a method is not readable as a metric');
    assert.equal((await api.delete(`${base}/${hitsId}.json`)).status, 200);
    assert.equal(
      fake.tenant().metrics.find((m) => m.id === method.json.method.id),
      undefined,
      'deleting a metric deletes its methods',
    );
  });

  it('mapping rules: valid verb, pattern starting with /, positive delta, a metric of the backend', async () => {
    const backend = (await api.post('/admin/api/backend_apis.json', { name: 'BB', private_endpoint: 'http://b' })).json.backend_api;
    const other = (await api.post('/admin/api/backend_apis.json', { name: 'CC', private_endpoint: 'http://c' })).json.backend_api;
    const tenant = fake.tenant();
    const hits = tenant.metrics.find((m) => m.owner_id === backend.id)!.id;
    const otherHits = tenant.metrics.find((m) => m.owner_id === other.id)!.id;
    const base = `/admin/api/backend_apis/${backend.id}/mapping_rules`;
    const bad = await api.post(`${base}.json`, { http_method: 'FETCH', pattern: 'items', metric_id: otherHits, delta: 0 });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.json.errors, {
      http_method: ['is not included in the list'],
      pattern: ["shall start with '/'"],
      delta: ['must be greater than 0'],
      metric_id: ['is invalid'],
    });
    const first = await api.post(`${base}.json`, { http_method: 'get', pattern: '/items', metric_id: hits, delta: 2 });
    assert.equal(first.status, 201);
    assert.deepEqual(
      [first.json.mapping_rule.http_method, first.json.mapping_rule.position, first.json.mapping_rule.last],
      ['GET', 1, false],
    );
    const second = await api.post(`${base}.json`, { http_method: 'POST', pattern: '/items', metric_id: hits, delta: 1, last: true });
    assert.equal(second.json.mapping_rule.position, 2, 'new rules go last');
    const changed = await api.put(`${base}/${first.json.mapping_rule.id}.json`, { pattern: '/things' });
    assert.deepEqual(
      [changed.json.mapping_rule.pattern, changed.json.mapping_rule.delta],
      ['/things', 2],
      'an update changes only what was sent',
    );
    assert.equal((await api.put(`${base}/${first.json.mapping_rule.id}.json`, { pattern: 'nope' })).status, 422);
    assert.equal((await api.delete(`${base}/${second.json.mapping_rule.id}.json`)).status, 200);
    assert.deepEqual(
      (await api.get(`${base}.json`)).json.mapping_rules.map((r: { mapping_rule: { pattern: string } }) => r.mapping_rule.pattern),
      ['/things'],
    );
  });

  it('pages lists by id: page, per_page (at most 500, 500 by default)', async () => {
    for (let i = 0; i < 7; i++) await api.post('/admin/api/backend_apis.json', { name: `b${i}`, private_endpoint: 'http://b' });
    const names = async (query: Record<string, string | number>) =>
      (await api.get('/admin/api/backend_apis.json', query)).json.backend_apis.map(
        (b: { backend_api: { name: string } }) => b.backend_api.name,
      );
    assert.deepEqual(await names({ per_page: 3 }), ['b0', 'b1', 'b2']);
    assert.deepEqual(await names({ per_page: 3, page: 3 }), ['b6']);
    assert.deepEqual(await names({ per_page: 3, page: 4 }), []);
    assert.equal((await names({ per_page: 501 })).length, 7, 'above 500 is 500');
    assert.equal((await names({ page: 0 })).length, 7, 'page 0 is page 1');
  });
});
