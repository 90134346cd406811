import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext, type TestRequestInit } from '../../test-support/policies/request-context.js';
import { testService } from '../../test-support/policies/test-service.js';

async function check(config: Record<string, unknown>, jwt: Record<string, unknown> | undefined, request: TestRequestInit = {}) {
  const policy = await buildPolicy('keycloak_role_check', config);
  const ctx = testContext(request);
  ctx.service = testService();
  ctx.jwt = jwt;
  await policy.access!(ctx);
  return ctx.exitedWith?.status ?? 200;
}

const token = { realm_access: { roles: ['reader', 'writer'] }, resource_access: { shop: { roles: ['buyer'] } } };

describe('keycloak_role_check policy (policies.md §5.17)', () => {
  it('whitelist (default): allowed only when a scope with all its roles matches', async () => {
    const config = {
      scopes: [{ resource: '/books', realm_roles: [{ name: 'reader' }], client_roles: [{ name: 'buyer', client: 'shop' }] }],
    };
    assert.equal(await check(config, token, { path: '/books/1' }), 200);
    assert.equal(await check(config, { realm_access: { roles: ['reader'] } }, { path: '/books/1' }), 403, 'client role missing');
    assert.equal(await check(config, token, { path: '/other' }), 403, 'no scope for this resource');
    assert.equal(await check(config, undefined, { path: '/books' }), 403, 'no JWT: no scope matches');
  });
  it('blacklist: a matching scope denies, others pass', async () => {
    const config = { type: 'blacklist', scopes: [{ resource: '/admin', methods: ['DELETE'], realm_roles: [{ name: 'writer' }] }] };
    assert.equal(await check(config, token, { path: '/admin', method: 'DELETE' }), 403);
    assert.equal(await check(config, token, { path: '/admin', method: 'GET' }), 200);
    assert.equal(await check(config, undefined, { path: '/admin', method: 'DELETE' }), 200);
  });
  it('liquid role and client names', async () => {
    const config = { scopes: [{ resource: '/', client_roles: [{ name: '{{ headers.x_role }}', name_type: 'liquid', client: 'shop' }] }] };
    assert.equal(await check(config, token, { headers: { 'X-Role': 'buyer' } }), 200);
    assert.equal(await check(config, token, { headers: { 'X-Role': 'seller' } }), 403);
  });
  it('denies with the service auth-failed response', async () => {
    const policy = await buildPolicy('keycloak_role_check', { scopes: [] });
    const ctx = testContext();
    ctx.service = testService();
    await policy.access!(ctx);
    assert.equal(ctx.exitedWith?.status, 403);
    assert.equal(ctx.exitedWith.options?.body, 'Authentication failed');
  });
  it('rejects an unknown type or method', async () => {
    await assert.rejects(buildPolicy('keycloak_role_check', { type: 'greylist' }), /type/);
    await assert.rejects(buildPolicy('keycloak_role_check', { scopes: [{ methods: ['FETCH'] }] }), /methods/);
  });
});
