import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopAll } from '../../test-support/teardown.js';

const onPath = (path: string) => ({ operations: [{ left: '{{ uri }}', left_type: 'liquid', op: '==', right: path }] });

describe('conditional policy (policies.md §5.6)', () => {
  it('runs the nested chain only when the condition holds, re-evaluated per phase', async () => {
    const policy = await buildPolicy('conditional', {
      condition: onPath('/on'),
      policy_chain: [
        {
          name: 'headers',
          configuration: {
            request: [{ op: 'set', header: 'X-Cond', value: 'yes' }],
            response: [{ op: 'set', header: 'X-Cond-Resp', value: 'yes' }],
          },
        },
      ],
    });
    const on = testContext({ path: '/on' });
    await policy.rewrite!(on);
    await policy.header_filter!(on);
    assert.equal(on.request.headers.get('x-cond'), 'yes');
    assert.equal(on.response.headers.get('x-cond-resp'), 'yes');
    // The path changes between phases: rewrite ran, header_filter does not.
    const partial = testContext({ path: '/on' });
    await policy.rewrite!(partial);
    partial.request.path = '/off';
    await policy.header_filter!(partial);
    assert.equal(partial.request.headers.get('x-cond'), 'yes');
    assert.equal(partial.response.headers.has('x-cond-resp'), false);
    const off = testContext({ path: '/off' });
    await policy.rewrite!(off);
    assert.equal(off.request.headers.has('x-cond'), false);
  });
  it('exports the nested chain exports and only has the phases the nested chain uses', async () => {
    const policy = await buildPolicy('conditional', {
      condition: onPath('/'),
      policy_chain: [{ name: 'caching', configuration: { caching_type: 'none' } }],
    });
    assert.equal(typeof policy.export!()['cache_handler'], 'function');
    assert.equal(typeof policy.rewrite, 'undefined');
  });
  it('a nested exit stops the nested chain', async () => {
    const policy = await buildPolicy('conditional', {
      condition: onPath('/'),
      policy_chain: [
        { name: 'maintenance_mode' },
        { name: 'headers', configuration: { request: [{ op: 'set', header: 'X', value: '1' }] } },
      ],
    });
    const ctx = testContext();
    await policy.access!(ctx);
    assert.equal(ctx.exitedWith?.status, 503);
  });
  it('rejects matches (schema allows only == and !=), a missing condition, and an invalid nested configuration naming it', async () => {
    await assert.rejects(buildPolicy('conditional', { condition: { operations: [{ left: 'a', op: 'matches', right: 'a' }] } }), /op/);
    await assert.rejects(buildPolicy('conditional', {}), /condition/);
    await assert.rejects(buildPolicy('conditional', { condition: { combine_op: 'and' } }), /condition\.operations/);
    await assert.rejects(
      buildPolicy('conditional', { condition: onPath('/'), policy_chain: [{ name: 'caching', configuration: {} }] }),
      /^ConfigurationError: services\[0\]\.proxy\.policy_chain\[0\]\.configuration\.policy_chain\[0\]\.configuration: service 1, policy caching: .*caching_type/,
    );
  });

  describe('through the real gateway', function () {
    this.timeout(30_000);
    let gw: PolicyGateway;
    before(async () => {
      gw = await startPolicyGateway([
        {
          id: 1,
          host: 'cond.test',
          chain: [
            {
              name: 'conditional',
              configuration: {
                condition: { operations: [{ left: '{{ headers.x_mode }}', left_type: 'liquid', op: '==', right: 'maintenance' }] },
                policy_chain: [{ name: 'maintenance_mode', configuration: { status: 503 } }],
              },
            },
            { name: 'apicast' },
          ],
        },
      ]);
    });
    after(async () => {
      await stopAll(gw);
    });
    it('requests matching the condition get the nested policy, others pass', async () => {
      assert.equal((await gw.request('cond.test', '/?user_key=k', { headers: { 'X-Mode': 'maintenance' } })).status, 503);
      assert.equal((await gw.request('cond.test', '/?user_key=k')).status, 200);
      assert.equal(gw.upstream.requests.length, 1);
    });
  });

  describe("nested custom policies come from the gateway's own registry (APICAST_POLICY_LOAD_PATH)", function () {
    this.timeout(30_000);
    let gw: PolicyGateway;
    before(async () => {
      const loadPath = await mkdtemp(join(tmpdir(), 'apicast-policies-'));
      const dir = join(loadPath, 'stamp', '1.0.0');
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, 'apicast-policy.json'),
        JSON.stringify({
          name: 'stamp',
          summary: 'stamps responses',
          version: '1.0.0',
          configuration: { type: 'object', properties: { value: { type: 'string' } }, required: ['value'] },
        }),
      );
      await writeFile(
        join(dir, 'index.js'),
        'export default (config) => ({ header_filter(ctx) { ctx.response.headers.set("X-Stamp", config.value); } });\n',
      );
      gw = await startPolicyGateway(
        [
          {
            id: 1,
            host: 'stamp.test',
            chain: [
              {
                name: 'conditional',
                configuration: {
                  condition: onPath('/stamped'),
                  policy_chain: [{ name: 'stamp', version: '1.0.0', configuration: { value: 'custom-1' } }],
                },
              },
              { name: 'apicast' },
            ],
          },
        ],
        { env: { APICAST_POLICY_LOAD_PATH: loadPath } },
      );
    });
    after(async () => {
      await stopAll(gw);
    });
    it('the custom policy runs inside the conditional chain only when the condition holds', async () => {
      assert.equal((await gw.request('stamp.test', '/stamped?user_key=k')).headers['x-stamp'], 'custom-1');
      assert.equal((await gw.request('stamp.test', '/other?user_key=k')).headers['x-stamp'], undefined);
    });
  });
});
