import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';

describe('upstream policy (policies.md §5.33)', () => {
  const rules = {
    rules: [
      { regex: '^/a', url: 'http://127.0.0.1:8081/prefix' },
      { regex: '/', url: 'https://other.example' },
    ],
  };

  it('selects the first matching rule in rewrite, publishes it in access and proxies to it in content', async () => {
    const policy = await buildPolicy('upstream', rules);
    const ctx = testContext({ path: '/a/b' });
    await policy.rewrite!(ctx);
    ctx.request.path = '/changed-later';
    await policy.access!(ctx);
    assert.equal(ctx.routeUpstream?.origin, 'http://127.0.0.1:8081');
    await policy.content!(ctx);
    assert.equal(ctx.proxiedTo?.path, '/prefix');
    assert.equal(ctx.proxiedTo.hostHeader, undefined, 'hostname_rewrite is not applied');
  });

  it('does nothing when no rule matches, so the next content policy runs', async () => {
    const policy = await buildPolicy('upstream', { rules: [{ regex: '^/only', url: 'http://127.0.0.1:1' }] });
    const ctx = testContext({ path: '/else' });
    await policy.rewrite!(ctx);
    await policy.access!(ctx);
    await policy.content!(ctx);
    assert.equal(ctx.routeUpstream, undefined);
    assert.equal(ctx.proxiedTo, undefined);
  });

  it('skips a rule with an unusable URL but rejects a bad regex', async () => {
    const policy = await buildPolicy('upstream', {
      rules: [
        { regex: '/', url: 'ftp://x' },
        { regex: '/', url: 'http://127.0.0.1:2' },
      ],
    });
    const ctx = testContext({ path: '/' });
    await policy.rewrite!(ctx);
    await policy.content!(ctx);
    assert.equal(ctx.proxiedTo?.port, 2);
    await assert.rejects(buildPolicy('upstream', { rules: [{ regex: '(', url: 'http://x' }] }), /rules\[0\]\.regex/);
  });
});
