import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';

describe('rewrite_url_captures policy (policies.md §5.26)', () => {
  it('rewrites path and query of the request in rewrite', async () => {
    const policy = await buildPolicy('rewrite_url_captures', {
      transformations: [{ match_rule: '/{orderId}/{accountId}', template: '/sales/v2/{orderId}?account={accountId}' }],
    });
    const ctx = testContext({ path: '/123/456', query: 'x=1' });
    await policy.rewrite!(ctx);
    assert.equal(ctx.request.path, '/sales/v2/123');
    assert.equal(ctx.request.query, 'x=1&account=456');
  });

  it('an empty configuration is a no-op', async () => {
    const policy = await buildPolicy('rewrite_url_captures', {});
    const ctx = testContext({ path: '/a', query: 'b' });
    await policy.rewrite!(ctx);
    assert.equal(ctx.request.rewritten, false);
  });

  it('rejects an invalid match_rule at load', async () => {
    await assert.rejects(
      buildPolicy('rewrite_url_captures', { transformations: [{ match_rule: '/(', template: '/' }] }),
      /transformations\[0\]\.match_rule/,
    );
  });
});
