import assert from 'node:assert/strict';
import { buildPolicy, buildTestChain } from '../../test-support/policies/build-policy.js';

describe('retry policy (policies.md §5.25)', () => {
  it('exports upstream_retries for the chain', async () => {
    const chain = await buildTestChain([{ name: 'retry', configuration: { retries: 3 } }]);
    assert.equal(chain.exports['upstream_retries'], 3);
  });

  it('without retries configured exports 0 (no retry)', async () => {
    assert.deepEqual((await buildPolicy('retry', {})).export!(), { upstream_retries: 0 });
  });

  it('accepts 1..10 only', async () => {
    await assert.rejects(buildPolicy('retry', { retries: 0 }), /retries/);
    await assert.rejects(buildPolicy('retry', { retries: 11 }), /retries/);
  });
});
