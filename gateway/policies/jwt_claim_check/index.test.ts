import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext, type TestRequestInit } from '../../test-support/policies/request-context.js';

async function check(config: Record<string, unknown>, jwt: Record<string, unknown> | undefined, request: TestRequestInit = {}) {
  const policy = await buildPolicy('jwt_claim_check', config);
  const ctx = testContext(request);
  ctx.jwt = jwt;
  await policy.access!(ctx);
  return ctx.exitedWith;
}

describe('jwt_claim_check policy (policies.md §5.16)', () => {
  const adminOnly = {
    rules: [
      {
        resource: '/admin',
        methods: ['GET', 'POST'],
        operations: [{ jwt_claim: 'role', jwt_claim_type: 'plain', op: '==', value: 'admin' }],
      },
    ],
  };
  it('allows a matching resource when the claim condition holds', async () => {
    assert.equal(await check(adminOnly, { role: 'admin' }, { path: '/admin/users' }), undefined);
  });
  it('denies with 403 and the default message + newline when the claim condition is false', async () => {
    const exit = await check(adminOnly, { role: 'user' }, { path: '/admin/users' });
    assert.equal(exit?.status, 403);
    assert.equal(exit.options?.body, 'Request blocked due to JWT claim policy\n');
  });
  it('ignores rules whose method or resource does not match the request', async () => {
    assert.equal(await check(adminOnly, { role: 'user' }, { path: '/public' }), undefined);
    assert.equal(await check(adminOnly, { role: 'user' }, { path: '/admin', method: 'DELETE' }), undefined);
  });
  it('liquid claim names, matches, or-combination and a custom error message', async () => {
    const config = {
      error_message: 'nope',
      rules: [
        {
          resource: '/orders/{id}$',
          combine_op: 'or',
          operations: [
            { jwt_claim: 'role_{{ aud }}', jwt_claim_type: 'liquid', op: '==', value: 'role_shop' },
            { jwt_claim: 'email', jwt_claim_type: 'plain', op: 'matches', value: '@example\\.com$' },
          ],
        },
      ],
    };
    assert.equal(
      await check(config, { aud: 'shop' }, { path: '/orders/1' }),
      undefined,
      'the rendered liquid template is the compared value',
    );
    assert.equal(await check(config, { aud: 'shop', email: 'a@example.com' }, { path: '/orders/1' }), undefined);
    const denied = await check(config, { aud: 'bank', email: 'a@evil.com' }, { path: '/orders/1' });
    assert.equal(denied?.status, 403);
    assert.equal(denied.options?.body, 'nope\n');
    assert.equal(await check(config, {}, { path: '/orders/1/items' }), undefined, '$ anchors the resource');
  });
  it('reads the payload of a whole parsed JWT (oidc_authentication form)', async () => {
    const jwt = { header: { alg: 'RS256' }, payload: { role: 'admin' }, token: 'a.b.c' };
    assert.equal(await check(adminOnly, jwt, { path: '/admin' }), undefined);
  });
  it('no JWT: a matching rule compares a missing claim and denies', async () => {
    assert.equal((await check(adminOnly, undefined, { path: '/admin' }))?.status, 403);
  });
  it('rejects a rule without resource, an operation without jwt_claim_type, and missing rules/operations', async () => {
    await assert.rejects(buildPolicy('jwt_claim_check', { rules: [{ operations: [] }] }), /resource/);
    await assert.rejects(
      buildPolicy('jwt_claim_check', { rules: [{ resource: '/', operations: [{ jwt_claim: 'a', op: '==', value: 'b' }] }] }),
      /jwt_claim_type/,
    );
    await assert.rejects(buildPolicy('jwt_claim_check', {}), /rules/);
    await assert.rejects(buildPolicy('jwt_claim_check', { rules: [{ resource: '/' }] }), /rules\[0\]\.operations/);
  });

  describe('enable_extended_context', () => {
    const rule = (jwtClaim: string, value: string) => ({
      enable_extended_context: true,
      rules: [{ resource: '/', operations: [{ jwt_claim: jwtClaim, jwt_claim_type: 'liquid', op: '==', value, value_type: 'liquid' }] }],
    });
    it('operations see the request context: claims under jwt., headers next to them', async () => {
      const request = { path: '/x', headers: { 'X-Tenant': 'acme' } };
      assert.equal(await check(rule('{{ jwt.tenant }}', '{{ headers.x_tenant }}'), { tenant: 'acme' }, request), undefined);
      assert.equal((await check(rule('{{ jwt.tenant }}', '{{ headers.x_tenant }}'), { tenant: 'other' }, request))?.status, 403);
    });
    it('claims are not top-level names any more, so they cannot shadow the context', async () => {
      assert.equal((await check(rule('{{ tenant }}', 'acme'), { tenant: 'acme' }))?.status, 403);
      assert.equal(await check(rule('{{ uri }}', '/x'), { uri: '/spoofed' }, { path: '/x' }), undefined);
      assert.equal(
        (await check({ ...rule('{{ uri }}', '/x'), enable_extended_context: false }, { uri: '/spoofed' }, { path: '/x' }))?.status,
        403,
      );
    });
    it('reads the payload of a whole parsed JWT under jwt.', async () => {
      assert.equal(await check(rule('{{ jwt.tenant }}', 'acme'), { header: {}, payload: { tenant: 'acme' }, token: 't' }), undefined);
    });
    it('rejects a non-boolean enable_extended_context naming it', async () => {
      await assert.rejects(
        buildPolicy('jwt_claim_check', { ...rule('a', 'b'), enable_extended_context: 'yes' }),
        /enable_extended_context/,
      );
    });
  });
});
