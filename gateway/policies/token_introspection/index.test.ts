import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { TestOidcIssuer } from '../../test-support/policies/oidc-issuer.js';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { cacheTtl } from './introspect.js';
import { stopAll } from '../../test-support/teardown.js';

describe('token_introspection policy (policies.md §5.32)', function () {
  this.timeout(30_000);
  let issuer: TestOidcIssuer;
  let gw: PolicyGateway;
  const introspectCalls = () => issuer.calls.filter((c) => c.path === '/introspect');
  before(async () => {
    issuer = await TestOidcIssuer.start();
    const direct = {
      auth_type: 'client_id+client_secret',
      client_id: issuer.client.id,
      client_secret: issuer.client.secret,
      introspection_url: `http://127.0.0.1:${issuer.port}/introspect`,
    };
    gw = await startPolicyGateway([
      { id: 1, host: 'nocache.test', chain: [{ name: 'apicast' }, { name: 'token_introspection', configuration: direct }] },
      {
        id: 2,
        host: 'cache.test',
        chain: [
          { name: 'apicast' },
          { name: 'token_introspection', configuration: { ...direct, max_cached_tokens: 100, max_ttl_tokens: 30 } },
        ],
      },
      {
        id: 3,
        host: 'issuer.test',
        chain: [{ name: 'apicast' }, { name: 'token_introspection', configuration: { auth_type: 'use_3scale_oidc_issuer_endpoint' } }],
        proxy: { oidc_issuer_endpoint: issuer.endpointWithCredentials },
      },
      {
        id: 4,
        host: 'notoidc.test',
        chain: [{ name: 'apicast' }, { name: 'token_introspection', configuration: { auth_type: 'use_3scale_oidc_issuer_endpoint' } }],
      },
    ]);
  });
  after(async () => {
    await stopAll(gw, issuer);
  });
  beforeEach(() => {
    issuer.calls.length = 0;
    issuer.introspectionStatus = undefined;
  });

  const call = (host: string, token?: string) =>
    gw.request(host, '/?user_key=k', token ? { headers: { Authorization: `Bearer ${token}` } } : {});

  it('an active token passes; an inactive or missing one gets the auth-failed answer + newline', async () => {
    issuer.introspection.set('good', { active: true });
    assert.equal((await call('nocache.test', 'good')).status, 200);
    const call0 = introspectCalls()[0];
    assert.equal(new URLSearchParams(call0.body).get('token'), 'good');
    assert.equal(new URLSearchParams(call0.body).get('token_type_hint'), 'access_token');
    assert.equal(call0.headers.authorization, `Basic ${Buffer.from('gateway:s3cret').toString('base64')}`);
    const bad = await call('nocache.test', 'revoked');
    assert.equal(bad.status, 403);
    assert.equal(bad.body, 'Authentication failed\n');
    assert.equal((await call('nocache.test')).status, 403);
  });
  it('without max_cached_tokens every request is introspected; with it, answers are cached (also inactive ones)', async () => {
    issuer.introspection.set('t1', { active: true, exp: Math.floor(Date.now() / 1000) + 600 });
    await call('nocache.test', 't1');
    await call('nocache.test', 't1');
    assert.equal(introspectCalls().length, 2);
    issuer.calls.length = 0;
    await call('cache.test', 't1');
    await call('cache.test', 't1');
    await call('cache.test', 'inactive-one');
    await call('cache.test', 'inactive-one');
    assert.equal(introspectCalls().length, 2, 'one call per token');
  });
  it('errors and non-200 answers deny and are never cached', async () => {
    issuer.introspection.set('t2', { active: true });
    issuer.introspectionStatus = 500;
    assert.equal((await call('cache.test', 't2')).status, 403);
    issuer.introspectionStatus = undefined;
    assert.equal((await call('cache.test', 't2')).status, 200);
    assert.equal(introspectCalls().length, 2);
  });
  it('use_3scale_oidc_issuer_endpoint: credentials from the issuer endpoint userinfo, URL from discovery; non-OIDC service denied', async () => {
    issuer.introspection.set('t3', { active: true });
    assert.equal((await call('issuer.test', 't3')).status, 200);
    assert.ok(issuer.calls.some((c) => c.path.endsWith('/.well-known/openid-configuration')));
    assert.equal((await call('notoidc.test', 't3')).status, 403);
  });
  it('cache TTL: exp − now capped by max_ttl_tokens; no exp ⇒ max_ttl_tokens; none ⇒ not cached', () => {
    assert.equal(cacheTtl({ exp: 1100 }, 30, 1000), 30);
    assert.equal(cacheTtl({ exp: 1010 }, 30, 1000), 10);
    assert.equal(cacheTtl({}, 30, 1000), 30);
    assert.equal(cacheTtl({}, undefined, 1000), undefined);
    assert.equal(cacheTtl({ exp: 900 }, 30, 1000), undefined);
  });
  it('rejects a missing auth_type and client_id+client_secret without its three fields', async () => {
    await assert.rejects(buildPolicy('token_introspection', {}), /auth_type/);
    await assert.rejects(
      buildPolicy('token_introspection', { auth_type: 'client_id+client_secret', client_id: 'a', client_secret: 'b' }),
      /introspection_url/,
    );
    await assert.rejects(
      buildPolicy('token_introspection', {
        auth_type: 'client_id+client_secret',
        client_id: 'a',
        client_secret: 'b',
        introspection_url: 'http://x',
        max_cached_tokens: 20000,
      }),
      /max_cached_tokens/,
    );
  });
});
