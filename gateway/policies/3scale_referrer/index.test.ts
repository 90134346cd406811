import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';

describe('3scale_referrer policy (policies.md §5.3)', () => {
  it('adds referrer=<Referer> to the backend parameters of the request', async () => {
    const policy = await buildPolicy('3scale_referrer');
    const ctx = testContext({ headers: { Referer: 'https://shop.example.com/page' } });
    await policy.rewrite!(ctx);
    assert.deepEqual([...ctx.extraBackendParams], [['referrer', 'https://shop.example.com/page']]);
  });
  it('adds nothing without a Referer header', async () => {
    const policy = await buildPolicy('3scale_referrer');
    const ctx = testContext();
    await policy.rewrite!(ctx);
    assert.equal(ctx.extraBackendParams.size, 0);
  });
});
