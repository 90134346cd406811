import assert from 'node:assert/strict';
import { buildPolicy, buildTestChain } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';

describe('upstream_connection policy (policies.md §5.34)', () => {
  it('exports the configured timeouts and applies them to every attempt', async () => {
    const chain = await buildTestChain([{ name: 'upstream_connection', configuration: { connect_timeout: 2, read_timeout: 0.5 } }]);
    assert.deepEqual(chain.exports['upstream_connection_opts'], { connect_timeout: 2, read_timeout: 0.5 });
    const ctx = testContext();
    await chain.entries[0].policy.balancer!(ctx);
    assert.equal(ctx.balancer.connectTimeout, 2);
    assert.equal(ctx.balancer.readTimeout, 0.5);
    assert.equal(ctx.balancer.sendTimeout, undefined, 'unset values keep the default');
  });

  it('rejects non-positive send/read timeouts and a fractional connect timeout', async () => {
    await assert.rejects(buildPolicy('upstream_connection', { read_timeout: 0 }), /read_timeout/);
    await assert.rejects(buildPolicy('upstream_connection', { send_timeout: -1 }), /send_timeout/);
    await assert.rejects(buildPolicy('upstream_connection', { connect_timeout: 1.5 }), /connect_timeout/);
  });
});
