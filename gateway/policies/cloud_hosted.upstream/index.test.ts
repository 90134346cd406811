import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';

describe('cloud_hosted.upstream policy (policies.md §7, gateway.md §9.1)', () => {
  it('proxies to the configured URL in content, Host being the URL host', async () => {
    const policy = await buildPolicy('cloud_hosted.upstream', { url: 'https://api.customer.example:8443/base' });
    const ctx = testContext({ path: '/orders' });
    await policy.content!(ctx);
    assert.equal(ctx.proxiedTo?.origin, 'https://api.customer.example:8443');
    assert.equal(ctx.proxiedTo.path, '/base');
    assert.equal(ctx.proxiedTo.hostHeader, undefined, 'no hostname_rewrite');
  });

  it('rejects a configuration without url or with a URL it cannot proxy to, naming the field', async () => {
    await assert.rejects(buildPolicy('cloud_hosted.upstream', {}), /url/);
    await assert.rejects(buildPolicy('cloud_hosted.upstream', { url: 'ftp://files.example' }), /url.*ftp/);
    await assert.rejects(buildPolicy('cloud_hosted.upstream', { url: 'not a url' }), /url/);
  });
});
