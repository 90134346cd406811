import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { UPGRADE_FLAG } from './index.js';

describe('websocket policy (policies.md §5.37)', () => {
  it('keeps Connection: Upgrade for a WebSocket handshake', async () => {
    const policy = await buildPolicy('websocket');
    const ctx = testContext({
      headers: { Upgrade: 'websocket', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', Connection: 'keep-alive, Upgrade' },
    });
    await policy.rewrite!(ctx);
    assert.equal(ctx.shared[UPGRADE_FLAG], true);
    assert.equal(ctx.request.headers.get('Connection'), 'Upgrade');
  });

  it('needs both Upgrade and Sec-WebSocket-Key', async () => {
    const policy = await buildPolicy('websocket');
    const ctx = testContext({ headers: { Upgrade: 'h2c' } });
    await policy.rewrite!(ctx);
    assert.equal(ctx.shared[UPGRADE_FLAG], undefined);
  });
});
