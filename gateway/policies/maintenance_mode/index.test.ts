import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { testService } from '../../test-support/policies/test-service.js';
import { parseUpstream } from '../../src/upstream/upstream.js';

describe('maintenance_mode policy (policies.md §5.20)', () => {
  it('answers every request with 503, the default message + newline and content type', async () => {
    const policy = await buildPolicy('maintenance_mode', {});
    const ctx = testContext();
    await policy.access!(ctx);
    assert.equal(ctx.exitedWith?.status, 503);
    assert.equal(ctx.exitedWith.options?.body, 'Service Unavailable - Maintenance\n');
    assert.deepEqual(ctx.exitedWith.options.headers, { 'Content-Type': 'text/plain; charset=utf-8' });
  });

  it('uses the configured status, message and exact content type', async () => {
    const policy = await buildPolicy('maintenance_mode', {
      status: 418,
      message: '{"down":true}',
      message_content_type: 'application/json',
    });
    const ctx = testContext();
    await policy.access!(ctx);
    assert.equal(ctx.exitedWith?.status, 418);
    assert.equal(ctx.exitedWith.options?.body, '{"down":true}\n');
    assert.deepEqual(ctx.exitedWith.options.headers, { 'Content-Type': 'application/json' });
  });

  it('with a condition on the upstream: only requests going to the matching upstream get the maintenance answer', async () => {
    const policy = await buildPolicy('maintenance_mode', {
      condition: {
        combine_op: 'and',
        operations: [
          {
            left: '{{ upstream.host }}:{{ upstream.port }}{{ upstream.path }}',
            left_type: 'liquid',
            op: '==',
            right: 'b1.internal:8443/b1/',
          },
        ],
      },
    });
    const routed = testContext();
    routed.routeUpstream = parseUpstream('https://b1.internal:8443/b1/');
    await policy.access!(routed);
    assert.equal(routed.exitedWith?.status, 503);

    const other = testContext();
    other.service = testService({ apiBackendUrl: 'http://b2.internal' });
    (other as { getUpstream: () => unknown }).getUpstream = () => other.service!.apiBackend;
    await policy.access!(other);
    assert.equal(other.exitedWith, undefined, 'request to another upstream continues');
  });

  it('conditions on request data with matches', async () => {
    const policy = await buildPolicy('maintenance_mode', {
      condition: { combine_op: 'or', operations: [{ left: '{{ uri }}', left_type: 'liquid', op: 'matches', right: '^/admin' }] },
    });
    const admin = testContext({ path: '/admin/x' });
    await policy.access!(admin);
    assert.equal(admin.exitedWith?.status, 503);
    const user = testContext({ path: '/user/admin' });
    await policy.access!(user);
    assert.equal(user.exitedWith, undefined);
  });

  it('rejects a condition without combine_op or with empty operations, and an invalid regex, naming the field', async () => {
    await assert.rejects(
      buildPolicy('maintenance_mode', { condition: { operations: [{ left: 'a', op: '==', right: 'a' }] } }),
      /combine_op/,
    );
    await assert.rejects(buildPolicy('maintenance_mode', { condition: { combine_op: 'and', operations: [] } }), /operations/);
    await assert.rejects(
      buildPolicy('maintenance_mode', { condition: { combine_op: 'and', operations: [{ left: 'a', op: 'matches', right: '[' }] } }),
      /condition\.operations\[0\]\.right/,
    );
  });
});
