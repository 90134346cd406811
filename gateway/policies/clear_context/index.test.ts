import assert from 'node:assert/strict';
import { buildPolicy, buildTestChain } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';

describe('clear_context policy (policies.md §5.39)', () => {
  it('drops request-local state in rewrite and keeps the request and service', async () => {
    const policy = await buildPolicy('clear_context');
    const ctx = testContext({ path: '/p', headers: { 'X-A': '1' } });
    ctx.shared['custom'] = 'left over';
    ctx.jwt = { sub: 'alice' };
    ctx.ttl = 10;
    ctx.skipApicastAccess = true;
    ctx.extraBackendParams.set('referrer', 'x');
    await policy.rewrite!(ctx);
    assert.equal(ctx.shared['custom'], undefined);
    assert.equal(ctx.jwt, undefined);
    assert.equal(ctx.ttl, undefined);
    assert.equal(ctx.skipApicastAccess, false);
    assert.equal(ctx.extraBackendParams.size, 0);
    assert.equal(ctx.request.path, '/p');
    assert.equal(ctx.request.headers.get('x-a'), '1');
  });

  it('clears only at its place: policies after it write a context that survives', async () => {
    const chain = await buildTestChain([{ name: 'headers', configuration: {} }, { name: 'clear_context' }, { name: 'echo' }]);
    assert.equal(chain.entries[1]?.name, 'clear_context');
    const ctx = testContext();
    ctx.shared['before'] = 1;
    await chain.run('rewrite', ctx);
    assert.equal(ctx.shared['before'], undefined);
  });

  it('rejects a configuration that is not an object', async () => {
    await assert.rejects(buildPolicy('clear_context', [] as unknown as Record<string, unknown>), /configuration/);
  });
});
