import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { runGatewayToExit } from '../../test-support/run-to-exit.js';
import { stopAll } from '../../test-support/teardown.js';

const onPath = (path: string) => ({ operations: [{ left: '{{ uri }}', left_type: 'liquid', op: '==', right: path }] });

/** A custom policy that throws in access when the X-Boom header is sent. */
async function throwingPolicyPath(): Promise<string> {
  const loadPath = await mkdtemp(join(tmpdir(), 'apicast-policies-'));
  const dir = join(loadPath, 'boom', '1.0.0');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'apicast-policy.json'),
    JSON.stringify({ name: 'boom', summary: 'throws', version: '1.0.0', configuration: { type: 'object' } }),
  );
  await writeFile(
    join(dir, 'index.js'),
    'export default () => ({\n' +
      '  access(ctx) { if (ctx.request.headers.get("x-boom")) throw new Error("boom"); },\n' +
      '  balancer(ctx) { if (ctx.request.headers.get("x-boom-balancer")) throw new Error("boom in balancer"); },\n' +
      '});\n',
  );
  return loadPath;
}

describe('on_failed through the real gateway', function () {
  this.timeout(30_000);
  let gw: PolicyGateway;
  before(async () => {
    gw = await startPolicyGateway(
      [
        { id: 1, host: 'unknown.test', chain: [{ name: 'no_such_policy' }, { name: 'on_failed' }, { name: 'echo' }] },
        {
          id: 2,
          host: 'invalid.test',
          chain: [
            { name: 'on_failed', configuration: { error_status_code: 418 } },
            { name: 'caching', configuration: {} },
            { name: 'echo' },
          ],
        },
        {
          id: 3,
          host: 'throws.test',
          chain: [{ name: 'on_failed', configuration: { error_status_code: 502 } }, { name: 'boom', version: '1.0.0' }, { name: 'echo' }],
        },
        { id: 4, host: 'nothrow.test', chain: [{ name: 'boom', version: '1.0.0' }, { name: 'echo' }] },
        {
          id: 7,
          host: 'balancer.test',
          chain: [
            { name: 'on_failed', configuration: { error_status_code: 504 } },
            { name: 'boom', version: '1.0.0' },
            { name: 'apicast' },
          ],
        },
        {
          id: 5,
          host: 'nested.test',
          chain: [
            { name: 'on_failed', configuration: { error_status_code: 409 } },
            { name: 'conditional', configuration: { condition: onPath('/guarded'), policy_chain: [{ name: 'no_such_policy' }] } },
            { name: 'echo' },
          ],
        },
        {
          id: 6,
          host: 'nested-throw.test',
          chain: [
            { name: 'on_failed' },
            { name: 'conditional', configuration: { condition: onPath('/guarded'), policy_chain: [{ name: 'boom', version: '1.0.0' }] } },
            { name: 'echo' },
          ],
        },
      ],
      { env: { APICAST_POLICY_LOAD_PATH: await throwingPolicyPath() } },
    );
  });
  after(async () => {
    await stopAll(gw);
  });

  it('a policy that failed to load answers 503 (default) or the configured status', async () => {
    assert.equal((await gw.request('unknown.test', '/')).status, 503);
    assert.equal((await gw.request('invalid.test', '/')).status, 418);
  });

  it('a policy that throws answers the configured status; without on_failed it stays 500', async () => {
    assert.equal((await gw.request('throws.test', '/', { headers: { 'X-Boom': '1' } })).status, 502);
    assert.equal((await gw.request('throws.test', '/')).status, 200);
    assert.equal((await gw.request('nothrow.test', '/', { headers: { 'X-Boom': '1' } })).status, 500);
  });

  it('a policy that throws in balancer answers the configured status, before any upstream call', async () => {
    const before = gw.upstream.requests.length;
    assert.equal((await gw.request('balancer.test', '/?user_key=k', { headers: { 'X-Boom-Balancer': '1' } })).status, 504);
    assert.equal(gw.upstream.requests.length, before);
    assert.equal((await gw.request('balancer.test', '/?user_key=k')).status, 200);
  });

  it("failures inside conditional's chain are seen by on_failed (APIcast#1485, #1541)", async () => {
    assert.equal((await gw.request('nested.test', '/guarded')).status, 409);
    assert.equal((await gw.request('nested.test', '/free')).status, 200);
    assert.equal((await gw.request('nested-throw.test', '/guarded', { headers: { 'X-Boom': '1' } })).status, 503);
    assert.equal((await gw.request('nested-throw.test', '/guarded')).status, 200);
  });
});

describe('on_failed with a bad configuration', function () {
  this.timeout(30_000);
  it('the gateway refuses to boot and names error_status_code', async () => {
    const { code, output } = await runGatewayToExit({
      services: [
        {
          id: 1,
          proxy: {
            hosts: ['x'],
            api_backend: 'http://127.0.0.1:1',
            policy_chain: [{ name: 'on_failed', configuration: { error_status_code: 'teapot' } }],
          },
        },
      ],
    });
    assert.notEqual(code, 0);
    assert.match(output, /policy_chain\[0\]\.configuration.*error_status_code/);
  });
});
