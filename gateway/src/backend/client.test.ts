import assert from 'node:assert/strict';
import { parseSettings } from '../settings.js';
import { silentLogger } from '../logging/logger.js';
import { Usage } from '../mapping/usage.js';
import { FakeBackend } from '../../test-support/fake-backend.js';
import type { CompiledService } from '../config/compiled.js';
import { BackendClient } from './client.js';

describe('Service Management API client against the fake backend', () => {
  let backend: FakeBackend;
  let client: BackendClient;
  let service: CompiledService;

  before(async () => {
    backend = await FakeBackend.start({ serviceTokens: { '9': 'st' }, applications: [{ app_id: 'a', app_key: 'b' }, { user_key: 'u' }] });
    client = new BackendClient(parseSettings({ THREESCALE_DEPLOYMENT_ENV: 'staging' }), silentLogger());
    service = {
      id: '9',
      backendVersion: '2',
      authenticationMethod: '2',
      backend: { endpoint: backend.url, host: 'su1.3scale.net', authentication: { type: 'service_token', value: 'st' } },
      credentials: { location: 'query', userKey: 'user_key', appId: 'app_id', appKey: 'app_key' },
    } as CompiledService;
  });
  after(async () => {
    await client.close();
    await backend.stop();
  });

  it('authorize sends GET authorize.xml with credentials and usage, and reads the decision', async () => {
    const ok = await client.authorize(service, {
      usage: Usage.of([['hits', 2]]),
      credentials: { kind: 'app_id', app_id: 'a', app_key: 'b' },
    });
    assert.equal(ok.status, 200);
    const call = backend.calls.at(-1)!;
    assert.equal(call.kind, 'authorize');
    assert.equal(call.params.get('usage[hits]'), '2');
    assert.equal(call.headers.host, 'su1.3scale.net');
    assert.match(String(call.headers['user-agent']), /env:staging/);
    const denied = await client.authorize(service, {
      usage: Usage.of([['hits', 1]]),
      credentials: { kind: 'app_id', app_id: 'a', app_key: 'wrong' },
    });
    assert.equal(denied.status, 409);
    assert.equal(denied.headers['3scale-rejection-reason'], 'application_key_invalid');
  });

  it('report POSTs url-encoded transactions with auth in the query and gets 202', async () => {
    const response = await client.report(service, [
      { credentials: { kind: 'user_key', user_key: 'u' }, usage: Usage.of([['hits', 3]]) },
      {
        credentials: { kind: 'app_id', app_id: 'a' },
        usage: Usage.of([
          ['hits', 1],
          ['orders', 2],
        ]),
      },
    ]);
    assert.equal(response.status, 202);
    const call = backend.calls.at(-1)!;
    assert.equal(call.kind, 'report');
    assert.equal(call.params.get('service_token'), 'st');
    assert.equal(call.headers['content-type'], 'application/x-www-form-urlencoded');
    const body = new URLSearchParams(call.body);
    assert.equal(body.get('transactions[0][user_key]'), 'u');
    assert.equal(body.get('transactions[0][usage][hits]'), '3');
    assert.equal(body.get('transactions[1][usage][orders]'), '2');
  });

  it('reports status 0 when the backend cannot be reached', async () => {
    const down = { ...service, backend: { ...service.backend, endpoint: 'http://127.0.0.1:9' } } as CompiledService;
    const response = await client.authrep(down, { usage: Usage.of([['hits', 1]]), credentials: { kind: 'user_key', user_key: 'u' } });
    assert.equal(response.status, 0);
  });
});
