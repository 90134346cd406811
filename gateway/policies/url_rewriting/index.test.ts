import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';

describe('url_rewriting policy (policies.md §5.36)', () => {
  it('rewrites the path then runs query commands; liquid values see the new path', async () => {
    const policy = await buildPolicy('url_rewriting', {
      commands: [{ op: 'sub', regex: '^/v1', replace: '/v2' }],
      query_args_commands: [
        { op: 'push', arg: 'next', value: '/v1/x' },
        { op: 'set', arg: 'seen', value: '{{ uri }}', value_type: 'liquid' },
        { op: 'delete', arg: 'drop' },
      ],
    });
    const ctx = testContext({ path: '/v1/items', query: 'key=k&drop=1' });
    await policy.rewrite!(ctx);
    assert.equal(ctx.request.path, '/v2/items');
    assert.equal(ctx.request.query, 'key=k&next=%2Fv1%2Fx&seen=%2Fv2%2Fitems');
  });

  it('forwards the query byte-for-byte when no command changes it', async () => {
    const policy = await buildPolicy('url_rewriting', { query_args_commands: [{ op: 'add', arg: 'absent', value: 'x' }] });
    const ctx = testContext({ path: '/', query: 'a=%7e+b' });
    await policy.rewrite!(ctx);
    assert.equal(ctx.request.query, 'a=%7e+b');
    assert.equal(ctx.request.rewritten, false);
  });

  it('honours methods on both kinds of commands', async () => {
    const policy = await buildPolicy('url_rewriting', {
      commands: [{ op: 'gsub', regex: 'a', replace: 'b', methods: ['POST'] }],
      query_args_commands: [{ op: 'set', arg: 'm', value: 'post', methods: ['POST'] }],
    });
    const get = testContext({ method: 'GET', path: '/aa' });
    await policy.rewrite!(get);
    assert.equal(get.request.path, '/aa');
    assert.equal(get.request.query, '');
    const post = testContext({ method: 'POST', path: '/aa' });
    await policy.rewrite!(post);
    assert.equal(post.request.path, '/bb');
    assert.equal(post.request.query, 'm=post');
  });

  it('rejects at load: a bad regex, a bad option letter, a bad op, naming the field', async () => {
    await assert.rejects(
      buildPolicy('url_rewriting', { commands: [{ op: 'sub', regex: '[', replace: '' }] }),
      /commands\[0\]\.regex: invalid regular expression/,
    );
    await assert.rejects(
      buildPolicy('url_rewriting', { commands: [{ op: 'sub', regex: 'a', replace: '', options: 'g' }] }),
      /commands\[0\]\.options/,
    );
    await assert.rejects(buildPolicy('url_rewriting', { commands: [{ op: 'replace', regex: 'a', replace: '' }] }), /commands\/0\/op/);
  });
});
