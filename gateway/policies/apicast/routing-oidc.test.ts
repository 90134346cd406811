/**
 * apicast: path routing (APICAST_PATH_ROUTING / _ONLY), BACKEND_ENDPOINT_OVERRIDE,
 * and OIDC JWT validation (gateway.md §1.3, §3.3, §4.3.1).
 */
import assert from 'node:assert/strict';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { startGatewayProcess, type GatewayUnderTest } from '../../test-support/gateway-process.js';
import { send } from '../../test-support/http-client.js';
import { stopAll } from '../../test-support/teardown.js';

const TOKEN = 'tok';
const ISSUER = 'https://idp.example/realms/test';

const rulesFor = (prefix: string) => [{ http_method: 'GET', pattern: prefix, metric_system_name: 'hits', delta: 1 }];

describe('apicast: path routing and BACKEND_ENDPOINT_OVERRIDE', function () {
  this.timeout(60_000);
  let backend: FakeBackend;
  let upstreamA: TestUpstream;
  let upstreamB: TestUpstream;
  let routing: GatewayUnderTest;
  let routingOnly: GatewayUnderTest;

  before(async () => {
    backend = await FakeBackend.start({ serviceTokens: { '1': TOKEN, '2': TOKEN }, applications: [{ user_key: 'k' }] });
    upstreamA = await TestUpstream.start();
    upstreamB = await TestUpstream.start();
    const svc = (id: number, upstream: TestUpstream, prefix: string) => ({
      id,
      backend_version: '1',
      backend_authentication_type: 'service_token',
      backend_authentication_value: TOKEN,
      // An endpoint nothing listens on: only the override makes authorization possible.
      proxy: {
        hosts: ['shared.test'],
        api_backend: upstream.url,
        backend: { endpoint: 'http://127.0.0.1:9', host: 'ignored.example' },
        proxy_rules: rulesFor(prefix),
      },
    });
    const config = { services: [svc(1, upstreamA, '/a'), svc(2, upstreamB, '/b')] };
    routing = await startGatewayProcess({ config, env: { APICAST_PATH_ROUTING: 'true', BACKEND_ENDPOINT_OVERRIDE: backend.url } });
    routingOnly = await startGatewayProcess({ config, env: { APICAST_PATH_ROUTING_ONLY: '1', BACKEND_ENDPOINT_OVERRIDE: backend.url } });
  });

  after(async () => {
    await stopAll(routing, routingOnly, upstreamA, upstreamB, backend);
  });

  it('picks, among services sharing a host, the first whose mapping rules match', async () => {
    assert.equal((await send(routing.url, '/b/1?user_key=k', { host: 'shared.test' })).status, 200);
    assert.equal(upstreamB.last?.url, '/b/1?user_key=k');
    assert.equal((await send(routing.url, '/a/1?user_key=k', { host: 'shared.test' })).status, 200);
    assert.equal(upstreamA.last?.url, '/a/1?user_key=k');
  });

  it('sends backend calls to BACKEND_ENDPOINT_OVERRIDE with its hostname as Host', async () => {
    backend.reset();
    await send(routing.url, '/b/2?user_key=k', { host: 'shared.test' });
    await backend.waitForCalls(1); // a cache hit reports after the response
    assert.equal(backend.calls[0].params.get('service_id'), '2');
    assert.equal(backend.calls[0].headers.host, '127.0.0.1');
  });

  it('falls back to host routing without a match, or answers 404 with _ONLY', async () => {
    const fallback = await send(routing.url, '/c?user_key=k', { host: 'shared.test' });
    assert.equal(fallback.status, 404);
    assert.equal(fallback.body, 'No Mapping Rule matched', 'the first service of the host handled it');
    const only = await send(routingOnly.url, '/c?user_key=k', { host: 'shared.test' });
    assert.equal(only.status, 404);
    assert.equal(only.body, '', 'no service found');
  });
});

describe('apicast: OIDC services', function () {
  this.timeout(60_000);
  let backend: FakeBackend;
  let upstream: TestUpstream;
  let gateway: GatewayUnderTest;
  let sign: (claims: Record<string, unknown>, kid?: string) => Promise<string>;

  before(async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const other = await generateKeyPair('RS256');
    sign = (claims, kid = 'k1') =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(kid === 'k1' ? privateKey : other.privateKey);
    backend = await FakeBackend.start({ serviceTokens: { '5': TOKEN }, applications: [{ app_id: 'my-client' }] });
    upstream = await TestUpstream.start();
    gateway = await startGatewayProcess({
      config: {
        services: [
          {
            id: 5,
            backend_version: 'oauth',
            backend_authentication_type: 'service_token',
            backend_authentication_value: TOKEN,
            proxy: {
              hosts: ['oidc.test'],
              api_backend: upstream.url,
              backend: { endpoint: backend.url },
              authentication_method: 'oidc',
              oidc_issuer_endpoint: ISSUER,
              proxy_rules: rulesFor('/'),
            },
          },
        ],
        oidc: [
          {
            issuer: ISSUER,
            config: { issuer: ISSUER, id_token_signing_alg_values_supported: ['RS256'] },
            keys: { k1: { kty: 'RSA', pem: await exportSPKI(publicKey) } },
            service_id: 5,
          },
        ],
      },
    });
  });

  after(async () => {
    await stopAll(gateway, upstream, backend);
  });

  const now = () => Math.floor(Date.now() / 1000);

  it('accepts a valid token and authorizes its azp as app_id with oauth_authrep', async () => {
    const jwt = await sign({ iss: ISSUER, sub: 'u1', aud: 'api', azp: 'my-client', exp: now() + 300, iat: now() });
    const response = await send(gateway.url, '/', { host: 'oidc.test', headers: { authorization: `Bearer ${jwt}` } });
    assert.equal(response.status, 200);
    const call = backend.calls.at(-1)!;
    assert.equal(call.kind, 'oauth_authrep');
    assert.equal(call.params.get('app_id'), 'my-client');
    assert.equal(call.params.get('access_token'), null);
    assert.equal(call.headers['3scale-options'], 'rejection_reason_header=1&limit_headers=1&no_body=1');
  });

  it('rejects expired tokens, wrong issuers, unknown keys and missing claims with 403 before the backend', async () => {
    backend.reset();
    const bad = [
      await sign({ iss: ISSUER, sub: 'u1', aud: 'api', azp: 'my-client', exp: now() - 10 }),
      await sign({ iss: 'https://other.example', sub: 'u1', aud: 'api', azp: 'my-client', exp: now() + 300 }),
      await sign({ iss: ISSUER, sub: 'u1', aud: 'api', azp: 'my-client', exp: now() + 300 }, 'k2'),
      await sign({ iss: ISSUER, aud: 'api', azp: 'my-client', exp: now() + 300 }),
      'not-a-jwt',
    ];
    for (const jwt of bad) {
      const response = await send(gateway.url, '/', { host: 'oidc.test', headers: { authorization: `Bearer ${jwt}` } });
      assert.equal(response.status, 403, jwt);
      assert.equal(response.body, 'Authentication failed');
    }
    assert.equal(backend.calls.length, 0);
  });

  it('answers 401 without a token', async () => {
    assert.equal((await send(gateway.url, '/', { host: 'oidc.test' })).status, 401);
  });
});
