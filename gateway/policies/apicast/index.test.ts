/**
 * The apicast policy end to end: the gateway as a child process, a real
 * upstream, and the recording fake 3scale backend (gateway.md §4).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { startGatewayProcess, type GatewayUnderTest } from '../../test-support/gateway-process.js';
import { send } from '../../test-support/http-client.js';
import type { ServiceJson } from '../../src/config/types.js';
import { stopAll } from '../../test-support/teardown.js';

const TOKEN = 'secret-service-token';

function baseService(
  backend: FakeBackend,
  upstream: TestUpstream,
  id: number,
  host: string,
  proxy: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): ServiceJson {
  return {
    id,
    system_name: `svc${id}`,
    backend_version: '1',
    backend_authentication_type: 'service_token',
    backend_authentication_value: TOKEN,
    ...extra,
    proxy: {
      hosts: [host],
      api_backend: upstream.url,
      backend: { endpoint: backend.url, host: 'backend.example' },
      proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
      ...proxy,
    },
  };
}

describe('apicast policy (gateway process + fake 3scale backend)', function () {
  this.timeout(60_000);
  let backend: FakeBackend;
  let upstream: TestUpstream;
  let gateway: GatewayUnderTest;

  before(async () => {
    backend = await FakeBackend.start({
      serviceTokens: { '42': TOKEN, '43': TOKEN, '44': TOKEN, '45': TOKEN, '46': TOKEN, '48': TOKEN, '49': TOKEN },
      providerKeys: ['pk-1'],
      limitReset: 17,
      applications: [
        { user_key: 'good' },
        { user_key: 'good2' },
        { user_key: 'good3' },
        { user_key: 'good4' },
        { user_key: 'good5' },
        { user_key: 'limited', limits: { hits: 1 } },
        { user_key: 'disabled-metric', limits: { hits: 0 } },
        { app_id: 'app1', app_key: 'key1' },
        { access_token: 'tok-1' },
      ],
    });
    upstream = await TestUpstream.start();
    gateway = await startGatewayProcess({
      config: {
        services: [
          baseService(backend, upstream, 42, 'api.test', {
            proxy_rules: [
              { http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 },
              { http_method: 'GET', pattern: '/x', metric_system_name: 'hits', delta: 50, last: true },
              { http_method: 'GET', pattern: '/a', metric_system_name: 'hits', delta: 3, last: true },
              { http_method: 'GET', pattern: '/a/b', metric_system_name: 'hits', delta: 7 },
              { http_method: 'GET', pattern: '/orders', metric_system_name: 'orders', delta: 2 },
              {
                http_method: 'POST',
                pattern: '/items',
                metric_system_name: 'items',
                delta: 1,
                querystring_parameters: { color: 'red', size: '{s}' },
              },
            ],
          }),
          baseService(backend, upstream, 43, 'v2.test', { credentials_location: 'headers' }, { backend_version: '2' }),
          baseService(backend, upstream, 44, 'oauth.test', {}, { backend_version: 'oauth' }),
          baseService(backend, upstream, 45, 'custom.test', {
            api_backend: `${upstream.url}/api/`,
            auth_user_key: 'token',
            error_auth_missing: '{"error":"missing"}',
            error_status_auth_missing: 418,
            error_headers_auth_missing: 'application/json; charset=utf-8',
            error_no_match: 'nothing here',
            error_status_auth_failed: 499,
            secret_token: 'shh',
            hostname_rewrite: 'internal.example',
          }),
          baseService(
            backend,
            upstream,
            46,
            'pk.test',
            { credentials_location: 'authorization' },
            {
              backend_authentication_type: 'provider_key',
              backend_authentication_value: 'pk-1',
            },
          ),
          baseService(backend, upstream, 48, 'noupstream.test', { api_backend: null }),
          baseService(backend, upstream, 49, 'slow.test'),
        ],
      },
      env: { APICAST_RESPONSE_CODES: 'true' },
    });
  });

  after(async () => {
    await stopAll(gateway, upstream, backend);
  });

  beforeEach(async () => {
    await sleep(150); // let post-action reports of the previous test land before counting
    backend.reset();
    upstream.requests.length = 0;
  });

  it('authorizes a first request with one synchronous authrep carrying token, service, usage and credentials', async () => {
    const response = await send(gateway.url, '/hello?user_key=good&b=2', { host: 'api.test' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['x-upstream'], 'yes');
    assert.equal(backend.calls.length, 1);
    const call = backend.calls[0];
    assert.equal(call.kind, 'authrep');
    assert.equal(call.params.get('service_token'), TOKEN);
    assert.equal(call.params.get('service_id'), '42');
    assert.equal(call.params.get('usage[hits]'), '1');
    assert.equal(call.params.get('user_key'), 'good');
    assert.equal(call.headers['3scale-options'], 'rejection_reason_header=1&limit_headers=1&no_body=1');
    assert.equal(call.headers.host, 'backend.example');
    assert.match(String(call.headers['user-agent']), /^APIcast\/\S+ \(.+; .+; env:production\) APIcast\/builtin$/);
    // The upstream gets the client's query unchanged, credentials included.
    assert.equal(upstream.last!.url, '/hello?user_key=good&b=2');
  });

  it('serves a cached authorization first and reports it after the response, with log[code]', async () => {
    assert.equal((await send(gateway.url, '/?user_key=good2', { host: 'api.test' })).status, 200);
    assert.equal(backend.calls.length, 1);
    backend.delayMs = 1500; // a slow backend must not slow down cache hits
    const started = Date.now();
    const second = await send(gateway.url, '/?user_key=good2', { host: 'api.test' });
    const elapsed = Date.now() - started;
    assert.equal(second.status, 200);
    assert.ok(elapsed < 1000, `cache hit took ${elapsed} ms with a 1.5 s backend`);
    await backend.waitForCalls(2);
    const report = backend.calls[1];
    assert.equal(report.kind, 'authrep');
    assert.equal(report.params.get('user_key'), 'good2');
    assert.equal(report.params.get('usage[hits]'), '1');
    assert.equal(report.params.get('log[code]'), '200');
    await sleep(100);
    assert.equal(backend.calls.length, 2, 'exactly one report per cache hit');
  });

  it('answers 401 without calling the backend when credentials are missing', async () => {
    const response = await send(gateway.url, '/hello', { host: 'api.test' });
    assert.equal(response.status, 401);
    assert.equal(response.body, 'Authentication parameters missing');
    assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(backend.calls.length, 0);
    assert.equal(upstream.requests.length, 0);
  });

  it('answers 404 "No Mapping Rule matched" before any backend call', async () => {
    const response = await send(gateway.url, '/hello?user_key=good', { host: 'api.test', method: 'POST' });
    assert.equal(response.status, 404);
    assert.equal(response.body, 'No Mapping Rule matched');
    assert.equal(backend.calls.length, 0);
  });

  it('answers 404 with an empty body for an unknown host', async () => {
    const response = await send(gateway.url, '/hello?user_key=good', { host: 'unknown.test' });
    assert.equal(response.status, 404);
    assert.equal(response.body, '');
    assert.equal(backend.calls.length, 0);
  });

  it('accumulates usage over every matching rule until a `last` rule (gateway.md §4.4 examples)', async () => {
    await send(gateway.url, '/a/b?user_key=good3', { host: 'api.test' });
    assert.equal(backend.calls[0].params.get('usage[hits]'), '4');
    backend.reset();
    await send(gateway.url, '/orders/7?user_key=good3', { host: 'api.test' });
    assert.equal(backend.calls[0].query.match(/usage%5B\w+%5D=\d+/g)!.join('&'), 'usage%5Bhits%5D=1&usage%5Borders%5D=2');
  });

  it('matches querystring_parameters of non-GET rules against the form body overlaid on the query', async () => {
    const response = await send(gateway.url, '/items?color=blue&size=9&user_key=good3', {
      host: 'api.test',
      method: 'POST',
      body: 'color=red',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(response.status, 200);
    assert.equal(backend.calls[0].params.get('usage[items]'), '1');
    assert.equal(upstream.last!.body.toString(), 'color=red', 'the body still reaches the upstream');
  });

  it('reads user_key from a POST form body when the query has none, and still forwards the body', async () => {
    const response = await send(gateway.url, '/items?size=1', {
      host: 'api.test',
      method: 'POST',
      body: 'user_key=good4&color=red',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(response.status, 200);
    assert.equal(backend.calls[0].params.get('user_key'), 'good4');
    assert.equal(upstream.last!.body.toString(), 'user_key=good4&color=red');
  });

  it('denies with 403 on an invalid key and does not cache the denial', async () => {
    const first = await send(gateway.url, '/?user_key=wrong', { host: 'api.test' });
    assert.equal(first.status, 403);
    assert.equal(first.body, 'Authentication failed');
    const second = await send(gateway.url, '/?user_key=wrong', { host: 'api.test' });
    assert.equal(second.status, 403);
    assert.equal(backend.callsOf('authrep').length, 2, 'each denied request asks the backend again');
    assert.equal(upstream.requests.length, 0);
  });

  it('answers 429 with Retry-After from 3scale-limit-reset when limits are exceeded', async () => {
    assert.equal((await send(gateway.url, '/?user_key=limited', { host: 'api.test' })).status, 200);
    await backend.waitForCalls(1);
    // The next identical request is a cache hit (served) whose report is refused: strict deletes the entry.
    await send(gateway.url, '/?user_key=limited', { host: 'api.test' });
    await backend.waitForCalls(2);
    await sleep(50);
    const third = await send(gateway.url, '/?user_key=limited', { host: 'api.test' });
    assert.equal(third.status, 429);
    assert.equal(third.body, 'Limits exceeded');
    assert.equal(third.headers['retry-after'], '17');
  });

  it('treats limits_exceeded on a disabled metric (max 0) as a plain 403 without Retry-After', async () => {
    const response = await send(gateway.url, '/?user_key=disabled-metric', { host: 'api.test' });
    assert.equal(response.status, 403);
    assert.equal(response.headers['retry-after'], undefined);
  });

  it('reads app_id/app_key from headers for backend_version 2 and needs both', async () => {
    const ok = await send(gateway.url, '/', { host: 'v2.test', headers: { app_id: 'app1', 'app-key': 'key1' } });
    assert.equal(ok.status, 200);
    assert.equal(backend.calls[0].params.get('app_id'), 'app1');
    assert.equal(backend.calls[0].params.get('app_key'), 'key1');
    const missing = await send(gateway.url, '/?app_id=app1&app_key=key1', { host: 'v2.test', headers: { app_id: 'app1' } });
    assert.equal(missing.status, 401, 'query credentials are ignored with credentials_location=headers');
  });

  it('sends Bearer tokens of oauth services to oauth_authrep as access_token', async () => {
    const response = await send(gateway.url, '/', { host: 'oauth.test', headers: { authorization: 'Bearer tok-1' } });
    assert.equal(response.status, 200);
    assert.equal(backend.calls[0].kind, 'oauth_authrep');
    assert.equal(backend.calls[0].params.get('access_token'), 'tok-1');
    assert.equal(backend.calls[0].headers['3scale-options'], 'rejection_reason_header=1&limit_headers=1');
  });

  it('uses provider_key and Basic credentials with credentials_location=authorization', async () => {
    const basic = Buffer.from('good4:').toString('base64');
    const response = await send(gateway.url, '/', { host: 'pk.test', headers: { authorization: `Basic ${basic}` } });
    assert.equal(response.status, 200);
    assert.equal(backend.calls[0].params.get('provider_key'), 'pk-1');
    assert.equal(backend.calls[0].params.get('service_token'), null);
    assert.equal(backend.calls[0].params.get('user_key'), 'good4');
  });

  it('applies custom error responses, auth_user_key, path prefix, secret_token and hostname_rewrite', async () => {
    const missing = await send(gateway.url, '/things', { host: 'custom.test' });
    assert.equal(missing.status, 418);
    assert.equal(missing.body, '{"error":"missing"}');
    assert.equal(missing.headers['content-type'], 'application/json; charset=utf-8');

    const failed = await send(gateway.url, '/things?token=nope', { host: 'custom.test' });
    assert.equal(failed.status, 499);
    assert.equal(failed.body, 'Authentication failed', 'a custom status alone keeps the default body');

    const ok = await send(gateway.url, '/things/1?token=good5&x=1', {
      host: 'custom.test',
      headers: { 'x-3scale-proxy-secret-token': 'forged', 'x-3scale-debug': 'nope' },
    });
    assert.equal(ok.status, 200);
    assert.equal(backend.callsOf('authrep').at(-1)!.params.get('user_key'), 'good5', 'auth_user_key is read, user_key is sent');
    const seen = upstream.last!;
    assert.equal(seen.url, '/api/things/1?token=good5&x=1');
    assert.equal(seen.headers.host, 'internal.example');
    assert.equal(seen.headers['x-3scale-proxy-secret-token'], 'shh');
    assert.equal(seen.headers['x-3scale-debug'], undefined);
    assert.equal(seen.headers['x-real-ip'], '127.0.0.1');
  });

  it('never forwards a client-sent X-3scale-proxy-secret-token when the service has no secret', async () => {
    await send(gateway.url, '/?user_key=good', { host: 'api.test', headers: { 'x-3scale-proxy-secret-token': 'forged' } });
    assert.equal(upstream.last!.headers['x-3scale-proxy-secret-token'], undefined);
    assert.equal(upstream.last!.headers.host, `127.0.0.1:${upstream.port}`);
  });

  it('adds the X-3scale debug headers only for the right service token', async () => {
    const debug = await send(gateway.url, '/a/b?user_key=good', { host: 'api.test', headers: { 'X-3scale-Debug': TOKEN } });
    assert.equal(debug.headers['x-3scale-matched-rules'], '/, /a');
    assert.equal(debug.headers['x-3scale-credentials'], 'user_key=good');
    assert.equal(debug.headers['x-3scale-usage'], 'usage%5Bhits%5D=4');
    assert.equal(debug.headers['x-3scale-service-id'], '42');
    assert.equal(debug.headers['x-3scale-service-name'], 'svc42');
    assert.ok(debug.headers['x-3scale-hostname']);
    const plain = await send(gateway.url, '/a/b?user_key=good', { host: 'api.test', headers: { 'X-3scale-Debug': 'wrong' } });
    assert.equal(plain.headers['x-3scale-matched-rules'], undefined);
  });

  it('authorizes before answering 404 for a service without upstream', async () => {
    const response = await send(gateway.url, '/?user_key=good', { host: 'noupstream.test' });
    assert.equal(response.status, 404);
    assert.equal(response.body, '');
    assert.equal(backend.callsOf('authrep').filter((c) => c.params.get('service_id') === '48').length, 1);
  });

  it('denies (strict) when the backend is down and nothing is cached', async () => {
    backend.down = true;
    const response = await send(gateway.url, '/?user_key=good', { host: 'slow.test' });
    assert.equal(response.status, 403);
    assert.equal(upstream.requests.length, 0);
  });

  it('strict: a cached 200 then a failing backend ⇒ 200 (hit), then 403', async () => {
    assert.equal((await send(gateway.url, '/x?user_key=good', { host: 'slow.test' })).status, 200);
    backend.failWith = 503;
    assert.equal((await send(gateway.url, '/x?user_key=good', { host: 'slow.test' })).status, 200);
    await backend.waitForCalls(2);
    await sleep(50);
    assert.equal((await send(gateway.url, '/x?user_key=good', { host: 'slow.test' })).status, 403);
  });
});

describe('apicast policy: APICAST_BACKEND_CACHE_HANDLER=resilient', function () {
  this.timeout(60_000);
  let backend: FakeBackend;
  let upstream: TestUpstream;
  let gateway: GatewayUnderTest;

  before(async () => {
    backend = await FakeBackend.start({ serviceTokens: { '7': TOKEN }, applications: [{ user_key: 'k' }] });
    upstream = await TestUpstream.start();
    gateway = await startGatewayProcess({
      config: { services: [baseService(backend, upstream, 7, 'r.test')] },
      env: { APICAST_BACKEND_CACHE_HANDLER: 'resilient' },
    });
  });
  after(async () => {
    await stopAll(gateway, upstream, backend);
  });

  it('keeps serving from the cache while the backend answers 5xx', async () => {
    assert.equal((await send(gateway.url, '/?user_key=k', { host: 'r.test' })).status, 200);
    backend.failWith = 500;
    for (let i = 0; i < 3; i++) {
      assert.equal((await send(gateway.url, '/?user_key=k', { host: 'r.test' })).status, 200);
      await backend.waitForCalls(2 + i);
    }
  });
});
