import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';

describe('payload_limits policy (policies.md §5.22)', () => {
  it('rejects a request whose Content-Length exceeds the limit with 413 Payload Too Large\\n', async () => {
    const policy = await buildPolicy('payload_limits', { request: 10, response: 0 });
    const big = testContext({ method: 'POST', headers: { 'Content-Length': '11' } });
    await policy.access!(big);
    assert.equal(big.exitedWith?.status, 413);
    assert.equal(big.exitedWith.options?.body, 'Payload Too Large\n');
    const fits = testContext({ method: 'POST', headers: { 'Content-Length': '10' } });
    await policy.access!(fits);
    assert.equal(fits.exitedWith, undefined);
    const chunked = testContext({ method: 'POST', headers: { 'Transfer-Encoding': 'chunked' } });
    await policy.access!(chunked);
    assert.equal(chunked.exitedWith, undefined);
  });

  it('replaces an oversized upstream response by exactly 17 bytes with status 413, keeping other headers', async () => {
    const policy = await buildPolicy('payload_limits', { request: 0, response: 5 });
    const ctx = testContext();
    ctx.response.headers.set('Content-Length', '6');
    ctx.response.headers.set('Content-Type', 'application/json');
    await policy.header_filter!(ctx);
    assert.equal(ctx.response.status, 413);
    assert.equal(ctx.response.headers.get('Content-Length'), '17');
    assert.equal(ctx.response.headers.get('Content-Type'), 'application/json');
    const out = [policy.body_filter!(ctx, Buffer.from('abc'), false), policy.body_filter!(ctx, Buffer.from('def'), true)];
    assert.equal(Buffer.concat(out.map((b) => b ?? Buffer.alloc(0))).toString(), 'Payload Too Large');
  });

  it('leaves responses within the limit or without Content-Length alone', async () => {
    const policy = await buildPolicy('payload_limits', { request: 0, response: 5 });
    for (const length of ['5', undefined]) {
      const ctx = testContext();
      if (length) ctx.response.headers.set('Content-Length', length);
      await policy.header_filter!(ctx);
      assert.equal(ctx.response.status, 200);
      assert.equal(policy.body_filter!(ctx, Buffer.from('hello'), true), undefined);
    }
  });

  it('0 disables a check: the policy then has no handler for it (no chunked re-streaming)', async () => {
    const none = await buildPolicy('payload_limits', { request: 0, response: 0 });
    assert.deepEqual(Object.keys(none), []);
    const requestOnly = await buildPolicy('payload_limits', { request: 5, response: 0 });
    assert.deepEqual(Object.keys(requestOnly), ['access']);
    const responseOnly = await buildPolicy('payload_limits', { request: 0, response: 5 });
    assert.deepEqual(Object.keys(responseOnly).sort(), ['body_filter', 'header_filter']);
  });

  it('requires both limits as integers >= 0', async () => {
    await assert.rejects(buildPolicy('payload_limits', { request: 1 }), /response/);
    await assert.rejects(buildPolicy('payload_limits', { request: -1, response: 0 }), /request/);
    await assert.rejects(buildPolicy('payload_limits', { request: '10', response: 0 }), /request/);
  });
});
