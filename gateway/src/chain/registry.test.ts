import assert from 'node:assert/strict';
import { builtinRegistry, buildTestChain } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';

describe('policy registry: cloud-hosted policies at their original version (policies.md §7)', () => {
  it('resolves cloud_hosted.upstream version 0.1, as SaaS configurations name it, to the builtin folder', async () => {
    const registry = await builtinRegistry();
    const loaded = await registry.find('cloud_hosted.upstream', '0.1');
    assert.equal(loaded?.name, 'cloud_hosted.upstream');
    assert.equal(loaded.builtin, true);
  });

  it('does not stretch the alias to other versions or to other policies', async () => {
    const registry = await builtinRegistry();
    assert.equal(await registry.find('cloud_hosted.upstream', '0.2'), undefined);
    assert.equal(await registry.find('headers', '0.1'), undefined);
  });

  it('builds a SaaS chain naming cloud_hosted.upstream 0.1 into a policy that proxies to its url', async () => {
    const chain = await buildTestChain([
      { name: 'cloud_hosted.upstream', version: '0.1', configuration: { url: 'http://api.customer.example:8080/v1' } },
    ]);
    assert.equal(chain.entries.length, 1, 'the entry must not be dropped as unknown');
    const ctx = testContext({ path: '/orders' });
    await chain.entries[0].policy.content!(ctx);
    assert.equal(ctx.proxiedTo?.origin, 'http://api.customer.example:8080');
  });
});
