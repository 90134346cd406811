import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { isUnbuffered } from '../../src/upstream/unbuffered.js';

describe('request_unbuffered policy (policies.md §5.41)', () => {
  it('flags the request in rewrite, per request', async () => {
    const policy = await buildPolicy('request_unbuffered');
    const flagged = testContext();
    await policy.rewrite!(flagged);
    assert.equal(isUnbuffered(flagged), true);
    assert.equal(isUnbuffered(testContext()), false);
  });

  it('rejects a configuration that is not an object', async () => {
    await assert.rejects(buildPolicy('request_unbuffered', 'on' as unknown as Record<string, unknown>), /configuration/);
  });
});
