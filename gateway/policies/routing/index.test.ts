import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { joinPath } from './index.js';
import { stopAll } from '../../test-support/teardown.js';

const when = (match: string, extra: Record<string, unknown>, op = '==', value = 'x') => ({ operations: [{ match, op, value, ...extra }] });

describe('routing policy (policies.md §5.27)', () => {
  it('replace_path join: one slash between, runs collapsed, trailing slash kept', () => {
    assert.equal(joinPath('/basePath/', '/v-1'), '/basePath/v-1');
    assert.equal(joinPath(null, '/v-1'), '/v-1');
    assert.equal(joinPath('/b1', ''), '/b1/');
  });

  it('first matching rule wins; operands from path, header, query_arg, jwt_claim, liquid; missing ⇒ nil', async () => {
    const policy = await buildPolicy('routing', {
      rules: [
        { url: 'http://a.internal', condition: when('header', { header_name: 'X-Route' }, '==', 'a') },
        { url: 'http://b.internal', condition: when('query_arg', { query_arg_name: 'dest' }, '==', 'b') },
        { url: 'http://c.internal', condition: when('jwt_claim', { jwt_claim_name: 'tier' }, '==', 'gold') },
        { url: 'http://d.internal', condition: when('liquid', { liquid_value: '{{ http_method }}' }, '==', 'DELETE') },
        { url: 'http://e.internal', condition: when('path', {}, 'matches', '^/e/') },
        { url: 'http://nil.internal', condition: when('header', { header_name: 'X-Missing' }, '==', 'nil') },
      ],
    });
    const route = async (init: Parameters<typeof testContext>[0], jwt?: Record<string, unknown>) => {
      const ctx = testContext(init);
      ctx.jwt = jwt;
      await policy.access!(ctx);
      return ctx.routeUpstream?.host;
    };
    assert.equal(await route({ headers: { 'X-Route': 'a', 'X-Missing': 'present' }, query: 'dest=b' }), 'a.internal');
    assert.equal(await route({ query: 'dest=b', headers: { 'X-Missing': 'present' } }), 'b.internal');
    assert.equal(await route({ headers: { 'X-Missing': 'present' } }, { tier: 'gold' }), 'c.internal');
    assert.equal(await route({ method: 'DELETE', headers: { 'X-Missing': 'present' } }), 'd.internal');
    assert.equal(await route({ path: '/e/1', headers: { 'X-Missing': 'present' } }), 'e.internal');
    assert.equal(await route({ path: '/' }), 'nil.internal', 'a missing header compares as nil');
  });

  it('host_header, replace_path (Liquid, path reset to /), and no match ⇒ nothing', async () => {
    const policy = await buildPolicy('routing', {
      rules: [
        {
          url: 'http://h.internal:8080/base?q=1',
          host_header: 'api.example.com',
          replace_path: "{{ original_request.path | replace: 'v1beta1', 'v1' }}",
          condition: { operations: [] },
        },
      ],
    });
    const ctx = testContext({ path: '/v1beta1/items' });
    await policy.access!(ctx);
    assert.equal(ctx.routeUpstream?.path, '/base/v1/items');
    assert.equal(ctx.routeUpstream.query, null, 'quirk: the rule URL query is dropped when the rendering has no ?');
    assert.equal(ctx.routeUpstream.hostHeader, 'api.example.com');
    assert.equal(ctx.request.path, '/');
    await policy.content!(ctx);
    assert.equal(ctx.proxiedTo, ctx.routeUpstream);

    const none = await buildPolicy('routing', { rules: [{ url: 'http://x', condition: when('path', {}, '==', '/never') }] });
    const other = testContext();
    await none.access!(other);
    await none.content!(other);
    assert.equal(other.routeUpstream, undefined);
    assert.equal(other.proxiedTo, undefined);
  });

  it('rejects rules without condition or operations, a missing header_name, an invalid regex; skips an invalid url', async () => {
    await assert.rejects(buildPolicy('routing', { rules: [{ url: 'http://x' }] }), /rules\[0\]\.condition/);
    await assert.rejects(buildPolicy('routing', { rules: [{ url: 'http://x', condition: {} }] }), /rules\[0\]\.condition\.operations/);
    await assert.rejects(buildPolicy('routing', { rules: [{ url: 'http://x', condition: when('header', {}) }] }), /header_name/);
    await assert.rejects(
      buildPolicy('routing', { rules: [{ url: 'http://x', condition: when('path', {}, 'matches', '(') }] }),
      /operations\[0\]\.value/,
    );
    const skipped = await buildPolicy('routing', { rules: [{ url: 'not a url', condition: { operations: [] } }] });
    const ctx = testContext();
    await skipped.access!(ctx);
    assert.equal(ctx.routeUpstream, undefined);
  });

  describe('through the real gateway', function () {
    this.timeout(30_000);
    let gw: PolicyGateway;
    let other: TestUpstream;
    before(async () => {
      other = await TestUpstream.start();
      gw = await startPolicyGateway([
        {
          id: 1,
          host: 'route.test',
          chain: [
            {
              name: 'routing',
              configuration: {
                rules: [
                  { url: `${other.url}/v2`, condition: when('header', { header_name: 'X-Version' }, '==', '2') },
                  {
                    url: other.url,
                    replace_path: '/legacy{{ uri }}',
                    host_header: 'legacy.example',
                    condition: when('path', {}, 'matches', '^/old/'),
                  },
                ],
              },
            },
            { name: 'apicast' },
          ],
        },
      ]);
    });
    after(async () => {
      await stopAll(gw, other);
    });

    it('sends matching requests to the rule upstream (path prefixed), others to api_backend', async () => {
      assert.equal((await gw.request('route.test', '/items?user_key=k', { headers: { 'X-Version': '2' } })).status, 200);
      assert.equal(other.last?.url, '/v2/items?user_key=k');
      assert.equal(other.last.headers.host, `127.0.0.1:${other.port}`);
      assert.equal((await gw.request('route.test', '/items?user_key=k')).status, 200);
      assert.equal(gw.upstream.last?.url, '/items?user_key=k');
    });
    it('replace_path and host_header', async () => {
      assert.equal((await gw.request('route.test', '/old/x?user_key=k')).status, 200);
      assert.equal(other.last?.url, '/legacy/old/x?user_key=k');
      assert.equal(other.last.headers.host, 'legacy.example');
    });
  });
});
