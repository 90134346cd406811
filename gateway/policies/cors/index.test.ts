import assert from 'node:assert/strict';
import type { Policy } from '../../src/chain/policy.js';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext, type TestContext } from '../../test-support/policies/request-context.js';

async function run(policy: Policy, init: Parameters<typeof testContext>[0]): Promise<TestContext> {
  const ctx = testContext(init);
  await policy.rewrite!(ctx);
  await policy.header_filter!(ctx);
  return ctx;
}

describe('cors policy (policies.md §5.8)', () => {
  it('answers a preflight with 204 in rewrite and the default CORS headers', async () => {
    const ctx = await run(await buildPolicy('cors', {}), {
      method: 'OPTIONS',
      headers: { Origin: 'http://a.example', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'X-Custom' },
    });
    assert.equal(ctx.exitedWith?.status, 204);
    assert.deepEqual(ctx.response.headers.toObject(), {
      'Access-Control-Allow-Headers': 'X-Custom',
      'Access-Control-Allow-Methods': 'PUT',
      'Access-Control-Allow-Origin': 'http://a.example',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Max-Age': '600',
    });
  });

  it('is not a preflight without Access-Control-Request-Method, but still adds headers', async () => {
    const ctx = await run(await buildPolicy('cors', { allow_credentials: false, max_age: 5 }), {
      method: 'OPTIONS',
      headers: { Origin: 'http://a' },
    });
    assert.equal(ctx.exitedWith, undefined);
    assert.equal(ctx.response.headers.get('Access-Control-Allow-Credentials'), 'false');
    assert.equal(ctx.response.headers.get('Access-Control-Max-Age'), '5');
    assert.equal(ctx.response.headers.has('Access-Control-Allow-Methods'), false);
  });

  it('adds nothing when the request has no Origin', async () => {
    const ctx = await run(await buildPolicy('cors', {}), { method: 'GET' });
    assert.equal(ctx.response.headers.size, 0);
  });

  it('joins configured headers and methods; an empty list omits the header', async () => {
    const policy = await buildPolicy('cors', { allow_headers: ['A', 'B'], allow_methods: [] });
    const ctx = await run(policy, { headers: { Origin: 'http://x', 'Access-Control-Request-Method': 'GET' } });
    assert.equal(ctx.response.headers.get('Access-Control-Allow-Headers'), 'A, B');
    assert.equal(ctx.response.headers.has('Access-Control-Allow-Methods'), false);
  });

  it('allow_origin: * and URLs are literal; anything else is a regex matched against Origin', async () => {
    const star = await run(await buildPolicy('cors', { allow_origin: '*' }), { headers: { Origin: 'http://x' } });
    assert.equal(star.response.headers.get('Access-Control-Allow-Origin'), '*');
    const url = await run(await buildPolicy('cors', { allow_origin: 'https://app.example.com' }), { headers: { Origin: 'http://x' } });
    assert.equal(url.response.headers.get('Access-Control-Allow-Origin'), 'https://app.example.com');
    const regex = await buildPolicy('cors', { allow_origin: '(api|web)\\.example\\.org$' });
    assert.equal(
      (await run(regex, { headers: { Origin: 'https://web.example.org' } })).response.headers.get('Access-Control-Allow-Origin'),
      'https://web.example.org',
    );
    assert.equal(
      (await run(regex, { headers: { Origin: 'https://evil.com' } })).response.headers.has('Access-Control-Allow-Origin'),
      false,
    );
  });

  it('rejects a regex JavaScript cannot compile and an unknown method', async () => {
    await assert.rejects(buildPolicy('cors', { allow_origin: '(unclosed' }), /allow_origin: invalid regular expression/);
    await assert.rejects(buildPolicy('cors', { allow_methods: ['FETCH'] }), /allow_methods/);
  });
});
