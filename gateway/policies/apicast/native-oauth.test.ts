/**
 * Native APIcast OAuth 2.0 (gateway.md §4.10) with a real Redis and the fake
 * backend: authorize → login redirect → callback → code → token → API call.
 */
import assert from 'node:assert/strict';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { startGatewayProcess, type GatewayUnderTest } from '../../test-support/gateway-process.js';
import { send } from '../../test-support/http-client.js';
import { startRedis, type RedisServer } from '../../../test/support/redis.js';
import { stopAll } from '../../test-support/teardown.js';

const TOKEN = 'st';
const HOST = 'oauth.test';
const CLIENT_REDIRECT = 'https://client.example/cb';
const LOGIN = 'https://login.example/login';

describe('apicast: native OAuth 2.0 flow', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  let backend: FakeBackend;
  let upstream: TestUpstream;
  let gateway: GatewayUnderTest;

  before(async () => {
    redis = await startRedis();
    backend = await FakeBackend.start({
      serviceTokens: { '77': TOKEN },
      applications: [{ app_id: 'cid', app_key: 'secret', redirect_url: CLIENT_REDIRECT }],
    });
    upstream = await TestUpstream.start();
    gateway = await startGatewayProcess({
      config: {
        services: [
          {
            id: 77,
            backend_version: 'oauth',
            backend_authentication_type: 'service_token',
            backend_authentication_value: TOKEN,
            proxy: {
              hosts: [HOST],
              api_backend: upstream.url,
              backend: { endpoint: backend.url },
              oauth_login_url: LOGIN,
              proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
            },
          },
        ],
      },
      env: { REDIS_URL: redis.url, APICAST_OAUTH_TOKENS_TTL: '3600' },
    });
  });

  after(async () => {
    await stopAll(gateway, upstream, backend, redis);
  });

  const location = (headers: Record<string, string | string[] | undefined>): URL => new URL(String(headers.location));

  it('issues a code and a token, then the token opens the API', async () => {
    const authorize = await send(
      gateway.url,
      `/authorize?response_type=code&client_id=cid&redirect_uri=${encodeURIComponent(CLIENT_REDIRECT)}&scope=plan1&state=client-state`,
      { host: HOST },
    );
    assert.equal(authorize.status, 302);
    const login = location(authorize.headers);
    assert.equal(`${login.origin}${login.pathname}`, LOGIN);
    assert.equal(login.searchParams.get('client_id'), 'cid');
    const nonce = login.searchParams.get('state')!;
    const preToken = login.searchParams.get('tok')!;
    assert.notEqual(nonce, 'client-state');
    assert.match(preToken, /^[0-9a-f]{32}$/);
    const validation = backend.callsOf('oauth_authorize').at(-1)!;
    assert.equal(validation.params.get('app_id'), 'cid');
    assert.equal(validation.params.get('redirect_uri'), CLIENT_REDIRECT);

    const callback = await send(gateway.url, `/callback?state=${nonce}&user_id=alice&redirect_uri=${encodeURIComponent(CLIENT_REDIRECT)}`, {
      host: HOST,
    });
    assert.equal(callback.status, 302);
    const back = location(callback.headers);
    assert.equal(`${back.origin}${back.pathname}`, CLIENT_REDIRECT);
    assert.equal(back.searchParams.get('state'), 'client-state');
    const code = back.searchParams.get('code')!;
    assert.match(code, /^[0-9a-f]{40}$/);

    const exchange = await send(gateway.url, '/oauth/token', {
      host: HOST,
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('cid:secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(CLIENT_REDIRECT)}`,
    });
    assert.equal(exchange.status, 200, exchange.body);
    assert.deepEqual(JSON.parse(exchange.body), { access_token: preToken, token_type: 'bearer', expires_in: 3600 });
    const stored = backend.callsOf('store_token').at(-1)!;
    assert.equal(stored.path, '/services/77/oauth_access_tokens.xml');
    assert.equal(stored.params.get('token'), preToken);
    assert.equal(stored.params.get('user_id'), 'alice');

    const api = await send(gateway.url, '/resource', { host: HOST, headers: { authorization: `Bearer ${preToken}` } });
    assert.equal(api.status, 200);
    assert.equal(backend.callsOf('oauth_authrep').at(-1)!.params.get('access_token'), preToken);

    const replay = await send(gateway.url, '/oauth/token', {
      host: HOST,
      method: 'POST',
      body: `grant_type=authorization_code&code=${code}&client_id=cid&client_secret=secret&redirect_uri=${encodeURIComponent(CLIENT_REDIRECT)}`,
    });
    assert.equal(replay.status, 403);
    assert.deepEqual(JSON.parse(replay.body), { error: 'expired_code' });
  });

  it('rejects bad requests the way the original does', async () => {
    const wrongType = await send(
      gateway.url,
      `/authorize?response_type=token&client_id=cid&redirect_uri=${encodeURIComponent(CLIENT_REDIRECT)}&state=s`,
      { host: HOST },
    );
    assert.equal(wrongType.status, 302);
    assert.equal(location(wrongType.headers).searchParams.get('error'), 'unsupported_response_type');

    const unknownClient = await send(
      gateway.url,
      `/authorize?response_type=code&client_id=nobody&redirect_uri=${encodeURIComponent(CLIENT_REDIRECT)}`,
      { host: HOST },
    );
    assert.equal(location(unknownClient.headers).searchParams.get('error'), 'invalid_client');

    const noRedirect = await send(gateway.url, '/callback?state=x', { host: HOST });
    assert.equal(noRedirect.status, 400);
    assert.deepEqual(JSON.parse(noRedirect.body), { error: 'missing redirect_uri' });

    const badState = await send(gateway.url, `/callback?state=unknown&redirect_uri=${encodeURIComponent(CLIENT_REDIRECT)}`, { host: HOST });
    assert.equal(badState.status, 302);
    assert.match(String(badState.headers.location), /#error=invalid_request&error_description=/);

    const badSecret = await send(gateway.url, '/oauth/token', {
      host: HOST,
      method: 'POST',
      body: 'grant_type=authorization_code&code=abc&client_id=cid&client_secret=nope',
    });
    assert.equal(badSecret.status, 401);
    assert.deepEqual(JSON.parse(badSecret.body), { error: 'invalid_client' });
  });
});
