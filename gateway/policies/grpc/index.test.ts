import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { GRPC_LOCATION } from './index.js';

describe('grpc policy (policies.md §5.12)', () => {
  it('routes through the HTTP/2 upstream path and strips the gateway-only headers', async () => {
    const policy = await buildPolicy('grpc');
    const ctx = testContext({
      headers: { 'X-3scale-grpc-secret-token': 's', 'X-3scale-debug': 'k', 'X-Real-IP': '1.1.1.1', 'Content-Type': 'application/grpc' },
    });
    await policy.rewrite!(ctx);
    await policy.balancer!(ctx);
    assert.equal(ctx.shared['upstream_location_name'], GRPC_LOCATION);
    assert.deepEqual(ctx.request.headers.toObject(), { 'Content-Type': 'application/grpc' });
  });
});
