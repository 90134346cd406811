import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { parseDocument } from '../openapi-document.js';
import { generateFromOpenApi } from './generate.js';

const PETS = `
openapi: 3.0.2
info: { title: Pets API, description: All the pets }
servers: [{ url: 'https://pets.internal.example.com/v1' }]
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-API-Key }
paths:
  /pets:
    get: { operationId: listPets, summary: List pets }
    post: { operationId: createPet }
  /pets/{id}:
    get: { summary: One pet }
`;

describe('capabilities: OpenAPI documents', () => {
  it('turns operations into methods and mapping rules on the product, servers[0] into the backend URL', () => {
    const loaded = parseDocument(PETS, 'doc');
    assert.equal(loaded.ok, true);
    const result = generateFromOpenApi({ openapiRef: { url: 'https://x.example.com/doc' } }, loaded.document);
    assert.equal(result.ok, true);
    const { backend, product } = result.value;
    assert.equal(backend.privateBaseURL, 'https://pets.internal.example.com/v1');
    assert.equal(product.systemName, 'pets_api');
    assert.deepEqual(Object.keys(product.methods ?? {}), ['listpets', 'createpet', 'get_pets_id']);
    assert.deepEqual(
      product.mappingRules?.map((r) => `${r.httpMethod} ${r.pattern} ${r.metricMethodRef}`),
      ['GET /pets$ listpets', 'POST /pets$ createpet', 'GET /pets/{id}$ get_pets_id'],
    );
    assert.deepEqual(product.deployment?.apicastHosted?.authentication, { userkey: { authUserKey: 'X-API-Key', credentials: 'headers' } });
    assert.deepEqual(product.backendUsages, { pets_api_backend: { path: '/' } });
  });

  it('prefixMatching drops the $ anchor', () => {
    const loaded = parseDocument(PETS, 'doc');
    if (!loaded.ok) throw new Error('parse');
    const result = generateFromOpenApi({ openapiRef: { url: 'https://x' }, prefixMatching: true }, loaded.document);
    assert.ok(result.ok && result.value.product.mappingRules?.every((r) => !r.pattern.endsWith('$')));
  });

  it('refuses documents that are not OpenAPI, naming why', () => {
    assert.match(
      (parseDocument('{ not yaml: [', 'ConfigMap pets') as { reason: string }).reason,
      /ConfigMap pets is neither JSON nor YAML/,
    );
    assert.match(
      (parseDocument('{"info":{"title":"x"},"paths":{}}', 'doc') as { reason: string }).reason,
      /no openapi \(3.x\) or swagger \(2.0\) version/,
    );
    assert.match((parseDocument('openapi: 3.0.0\npaths: {}', 'doc') as { reason: string }).reason, /no info.title/);
    assert.match((parseDocument('openapi: 3.0.0\ninfo: {title: t}', 'doc') as { reason: string }).reason, /no paths object/);
    assert.match((parseDocument('[1,2]', 'doc') as { reason: string }).reason, /not an object/);
  });

  it('without servers or privateBaseURL there is no backend: Invalid on spec.privateBaseURL', () => {
    const loaded = parseDocument('openapi: 3.0.0\ninfo: {title: t}\npaths: {}', 'doc');
    if (!loaded.ok) throw new Error('parse');
    const result = generateFromOpenApi({ openapiRef: { url: 'https://x' } }, loaded.document);
    assert.deepEqual(result.ok ? [] : result.errors.map((e) => e.path), ['spec.privateBaseURL']);
  });
});
