import assert from 'node:assert/strict';
import { buildPolicy, buildTestChain } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { FAILURE_STATUS_EXPORT, policyFailureStatus } from '../../src/chain/on-failed.js';
import { PolicyError } from '../../src/chain/phases.js';

const onPath = (path: string) => ({ operations: [{ left: '{{ uri }}', left_type: 'liquid', op: '==', right: path }] });

describe('on_failed policy (policies.md §5.38)', () => {
  it('exports 503 by default and the configured status', async () => {
    assert.equal((await buildPolicy('on_failed')).export!()[FAILURE_STATUS_EXPORT], 503);
    assert.equal((await buildPolicy('on_failed', { error_status_code: 418 })).export!()[FAILURE_STATUS_EXPORT], 418);
  });

  it('rejects a bad error_status_code naming the field', async () => {
    await assert.rejects(buildPolicy('on_failed', { error_status_code: 'x' }), /error_status_code/);
    await assert.rejects(buildPolicy('on_failed', { error_status_code: 42 }), /error_status_code/);
  });

  it('a failure status is 500 without on_failed, its status with it', () => {
    assert.equal(policyFailureStatus(testContext()), 500);
    const ctx = testContext();
    ctx.shared[FAILURE_STATUS_EXPORT] = 418;
    assert.equal(policyFailureStatus(ctx), 418);
  });

  it('without on_failed, an invalid configuration still rejects the chain and an unknown policy is dropped', async () => {
    await assert.rejects(buildTestChain([{ name: 'caching', configuration: {} }]), /caching_type/);
    assert.equal((await buildTestChain([{ name: 'no_such_policy' }, { name: 'echo' }])).length, 1);
  });

  it('with on_failed, unknown and invalid policies become guards that fail the request at their place', async () => {
    const chain = await buildTestChain([{ name: 'no_such_policy' }, { name: 'caching', configuration: {} }, { name: 'on_failed' }, { name: 'echo' }]);
    assert.deepEqual(chain.entries.map((e) => e.name), ['no_such_policy', 'caching', 'on_failed', 'echo']);
    const ctx = testContext();
    assert.throws(() => chain.run('rewrite', ctx), (err: unknown) => err instanceof PolicyError && err.policy === 'no_such_policy' && /unknown policy/.test(err.message));
    assert.throws(() => chain.run('access', testContext()), (err: unknown) => err instanceof PolicyError && err.policy === 'no_such_policy');
  });

  it('a failure inside conditional\'s chain is a guard of the nested chain, reached only when the condition holds', async () => {
    const chain = await buildTestChain([
      { name: 'on_failed', configuration: { error_status_code: 418 } },
      { name: 'conditional', configuration: { condition: onPath('/guarded'), policy_chain: [{ name: 'no_such_policy' }] } },
      { name: 'echo' },
    ]);
    assert.equal(chain.exports[FAILURE_STATUS_EXPORT], 418);
    await assert.rejects(async () => chain.run('rewrite', testContext({ path: '/guarded' })), (err: unknown) => err instanceof PolicyError && err.policy === 'no_such_policy');
    assert.equal(chain.run('rewrite', testContext({ path: '/other' })), undefined);
  });
});
