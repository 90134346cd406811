/** ActiveDocs and the custom policy registry. */
import assert from 'node:assert/strict';
import { startFake3scale, type Fake3scale } from './server.js';
import { TestApi } from './test-client.js';

const OPENAPI = JSON.stringify({ openapi: '3.0.2', info: { title: 'Pets', version: '1' }, paths: {} });

describe('fake 3scale: ActiveDocs and registry policies', () => {
  let fake: Fake3scale;
  let api: TestApi;
  beforeEach(async () => {
    fake = await startFake3scale();
    api = new TestApi(fake.url, fake.accessToken);
  });
  afterEach(() => fake.close());

  it('ActiveDocs: create, read, update, delete; body must be a JSON OpenAPI/Swagger document', async () => {
    const service = (await api.post('/admin/api/services.json', { name: 'PP' })).json.service;
    const made = await api.post('/admin/api/active_docs.json', {
      name: 'Pets API',
      body: OPENAPI,
      service_id: service.id,
      published: true,
    });
    assert.equal(made.status, 201);
    const doc = made.json.api_doc;
    assert.deepEqual([doc.system_name, doc.published, doc.service_id, doc.body], ['pets_api', true, service.id, OPENAPI]);
    assert.deepEqual((await api.post('/admin/api/active_docs.json', { name: 'Bad', body: '{not json' })).json, {
      errors: { body: ['JSON Spec is invalid'] },
    });
    assert.equal((await api.post('/admin/api/active_docs.json', { name: 'No version', body: '{"paths":{}}' })).status, 422);
    assert.equal(
      (await api.post('/admin/api/active_docs.json', { name: 'Skipped', body: '{"paths":{}}', skip_swagger_validations: true })).status,
      201,
    );
    assert.deepEqual((await api.post('/admin/api/active_docs.json', { name: 'Pets API', body: OPENAPI })).json.errors, {
      system_name: ['has already been taken'],
    });
    assert.deepEqual((await api.post('/admin/api/active_docs.json', { name: 'XX', body: OPENAPI, service_id: 999 })).json.errors, {
      service_id: ['is invalid'],
    });
    assert.equal((await api.put(`/admin/api/active_docs/${doc.id}.json`, { description: 'd' })).json.api_doc.description, 'd');
    assert.equal((await api.put(`/admin/api/active_docs/${doc.id}.json`, { body: '[]' })).status, 422);
    assert.equal((await api.get('/admin/api/active_docs.json')).json.api_docs.length, 2);
    assert.equal((await api.delete(`/admin/api/active_docs/${doc.id}.json`)).status, 200);
    assert.equal((await api.get(`/admin/api/active_docs/${doc.id}.json`)).status, 404);
  });

  it('registry policies: schema a JSON object, (name, version) unique', async () => {
    const schema = {
      $schema: 'http://apicast.io/policy-v1.1/schema#manifest#',
      name: 'My policy',
      version: '0.1',
      configuration: { type: 'object' },
    };
    const made = await api.post('/admin/api/registry/policies.json', { name: 'my_policy', version: '0.1', schema: JSON.stringify(schema) });
    assert.equal(made.status, 201);
    assert.deepEqual(made.json.policy.schema, schema);
    assert.deepEqual((await api.post('/admin/api/registry/policies.json', { name: 'my_policy', version: '0.1', schema: '{}' })).json, {
      errors: { version: ['has already been taken'] },
    });
    assert.equal(
      (await api.call('POST', '/admin/api/registry/policies.json', { json: { name: 'my_policy', version: '0.2', schema } })).status,
      201,
    );
    assert.deepEqual((await api.post('/admin/api/registry/policies.json', { name: 'p', version: '1', schema: '[' })).json.errors, {
      schema: ['is not valid JSON'],
    });
    const id = made.json.policy.id;
    assert.equal(
      (await api.put(`/admin/api/registry/policies/${id}.json`, { version: '0.2' })).status,
      422,
      'cannot move onto a taken version',
    );
    assert.equal((await api.get('/admin/api/registry/policies.json')).json.policies.length, 2);
    assert.equal((await api.delete(`/admin/api/registry/policies/${id}.json`)).status, 200);
  });
});
