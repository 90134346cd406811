import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext, type TestContext, type TestRequestInit } from '../../test-support/policies/request-context.js';
import { testService } from '../../test-support/policies/test-service.js';
import { defaultAccessLogSuppressed, extraAccessLogLines } from '../../src/shared/access-log-control.js';

async function logFor(config: Record<string, unknown>, init: TestRequestInit = {}, prepare?: (ctx: TestContext) => void) {
  const policy = await buildPolicy('logging', config);
  const ctx = testContext(init);
  ctx.service = testService();
  prepare?.(ctx);
  await policy.log!(ctx);
  return { suppressed: defaultAccessLogSuppressed(ctx), lines: extraAccessLogLines(ctx) };
}

describe('logging policy (policies.md §5.19)', () => {
  it('default: access line kept, nothing extra', async () => {
    assert.deepEqual(await logFor({}), { suppressed: false, lines: [] });
  });
  it('enable_access_logs false suppresses the default line', async () => {
    assert.deepEqual(await logFor({ enable_access_logs: false }), { suppressed: true, lines: [] });
  });
  it('custom_logging replaces the default line with the rendered template (extended context)', async () => {
    const { suppressed, lines } = await logFor(
      {
        custom_logging:
          '{{ service.id }} {{ status }} {{ req.headers.X-Trace }} {{ resp.headers.content-type }} {{ http_x_trace }} {{ request }}',
      },
      { path: '/p', query: 'a=1', headers: { 'X-Trace': 't1' } },
      (ctx) => {
        ctx.response.status = 201;
        ctx.response.headers.set('Content-Type', 'text/plain');
      },
    );
    assert.equal(suppressed, true);
    assert.deepEqual(lines, ['42 201 t1 text/plain t1 GET /p?a=1 HTTP/1.1']);
  });
  it('JSON logs win over custom text; values plain or liquid', async () => {
    const { lines } = await logFor({
      custom_logging: 'ignored',
      enable_json_logs: true,
      json_object_config: [
        { key: 'svc', value: '{{ service.id }}', value_type: 'liquid' },
        { key: 'fixed', value: '{{ x }}' },
      ],
    });
    assert.deepEqual(
      lines.map((l): unknown => JSON.parse(l)),
      [{ svc: '42', fixed: '{{ x }}' }],
    );
  });
  it('a false condition logs nothing (and the default line stays suppressed)', async () => {
    const config = {
      custom_logging: 'hit',
      condition: { operations: [{ op: '==', match: '{{ status }}', match_type: 'liquid', value: '500', value_type: 'plain' }] },
    };
    assert.deepEqual(
      await logFor(config, {}, (ctx) => {
        ctx.response.status = 200;
      }),
      { suppressed: true, lines: [] },
    );
    assert.deepEqual(
      (
        await logFor(config, {}, (ctx) => {
          ctx.response.status = 500;
        })
      ).lines,
      ['hit'],
    );
  });
  it('never writes credentials: query credential values are ***, credentials are short hashes', async () => {
    const { lines } = await logFor(
      { custom_logging: '{{ request_uri }} {{ arg_user_key }} {{ credentials.user_key }}' },
      { path: '/x', query: 'user_key=SECRETKEY&b=2' },
      (ctx) => {
        ctx.credentials = { kind: 'user_key', user_key: 'SECRETKEY' };
      },
    );
    assert.equal(lines.length, 1);
    assert.doesNotMatch(lines[0], /SECRETKEY/);
    assert.match(lines[0], /^\/x\?user_key=\*\*\*&b=2 \*\*\* \S+$/);
  });
  it('a runtime Liquid error costs the line, never the request', async () => {
    assert.deepEqual((await logFor({ custom_logging: '{{ 1 | divided_by: 0 }}' })).lines, []);
  });
  it('rejects a condition operation missing one of its five fields', async () => {
    await assert.rejects(
      buildPolicy('logging', { condition: { operations: [{ op: '==', match: 'a', value: 'b', value_type: 'plain' }] } }),
      /match_type/,
    );
  });
});
