import assert from 'node:assert/strict';
import { buildPolicy, buildTestChain } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { FAILURE_STATUS_EXPORT, policyFailureStatus } from '../../src/chain/on-failed.js';
import { PolicyError } from '../../src/chain/phases.js';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { PolicyRegistry } from '../../src/chain/registry.js';
import { buildChain } from '../../src/chain/build.js';
import { parseSettings } from '../../src/settings.js';
import { noopHooks } from '../../src/telemetry/hooks.js';
import { testRuntime } from '../../test-support/policies/build-policy.js';

const onPath = (path: string) => ({ operations: [{ left: '{{ uri }}', left_type: 'liquid', op: '==', right: path }] });

describe('on_failed policy (policies.md §5.38)', () => {
  it('exports 503 by default and the configured status', async () => {
    assert.equal((await buildPolicy('on_failed')).export!()[FAILURE_STATUS_EXPORT], 503);
    assert.equal((await buildPolicy('on_failed', { error_status_code: 418 })).export!()[FAILURE_STATUS_EXPORT], 418);
  });

  it('rejects a bad error_status_code naming the field', async () => {
    await assert.rejects(buildPolicy('on_failed', { error_status_code: 'x' }), /error_status_code/);
    await assert.rejects(buildPolicy('on_failed', { error_status_code: 42 }), /error_status_code/);
  });

  it('a failure status is 500 without on_failed, its status with it', () => {
    assert.equal(policyFailureStatus(testContext()), 500);
    const ctx = testContext();
    ctx.shared[FAILURE_STATUS_EXPORT] = 418;
    assert.equal(policyFailureStatus(ctx), 418);
  });

  it('without on_failed, an invalid configuration still rejects the chain and an unknown policy is dropped', async () => {
    await assert.rejects(buildTestChain([{ name: 'caching', configuration: {} }]), /caching_type/);
    assert.equal((await buildTestChain([{ name: 'no_such_policy' }, { name: 'echo' }])).length, 1);
  });

  it('with on_failed, unknown and invalid policies become guards that fail the request at their place', async () => {
    const chain = await buildTestChain([
      { name: 'no_such_policy' },
      { name: 'caching', configuration: {} },
      { name: 'on_failed' },
      { name: 'echo' },
    ]);
    assert.deepEqual(
      chain.entries.map((e) => e.name),
      ['no_such_policy', 'caching', 'on_failed', 'echo'],
    );
    const ctx = testContext();
    assert.throws(
      () => chain.run('rewrite', ctx),
      (err: unknown) => err instanceof PolicyError && err.policy === 'no_such_policy' && /unknown policy/.test(err.message),
    );
    assert.throws(
      () => chain.run('access', testContext()),
      (err: unknown) => err instanceof PolicyError && err.policy === 'no_such_policy',
    );
  });

  it("a failure inside conditional's chain is a guard of the nested chain, reached only when the condition holds", async () => {
    const chain = await buildTestChain([
      { name: 'on_failed', configuration: { error_status_code: 418 } },
      { name: 'conditional', configuration: { condition: onPath('/guarded'), policy_chain: [{ name: 'no_such_policy' }] } },
      { name: 'echo' },
    ]);
    assert.equal(chain.exports[FAILURE_STATUS_EXPORT], 418);
    await assert.rejects(
      async () => chain.run('rewrite', testContext({ path: '/guarded' })),
      (err: unknown) => err instanceof PolicyError && err.policy === 'no_such_policy',
    );
    assert.equal(chain.run('rewrite', testContext({ path: '/other' })), undefined);
  });

  it('a policy whose init throws becomes a guard and is disposed', async () => {
    const loadPath = await mkdtemp(join(tmpdir(), 'apicast-policies-'));
    const dir = join(loadPath, 'bad_init', '1.0.0');
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'apicast-policy.json'),
      JSON.stringify({ name: 'bad_init', summary: 'fails in init', version: '1.0.0', configuration: { type: 'object' } }),
    );
    await writeFile(
      join(dir, 'index.js'),
      'export default () => ({ init() { throw new Error("init boom"); }, dispose() { globalThis.badInitDisposed = true; } });\n',
    );
    const log = pino({ level: 'silent' });
    const chain = await buildChain([{ name: 'on_failed' }, { name: 'bad_init', version: '1.0.0' }, { name: 'echo' }], {
      registry: await PolicyRegistry.load({ log, loadPath: [loadPath] }),
      settings: parseSettings({}),
      log,
      hooks: noopHooks,
      runtime: testRuntime(),
      service: undefined,
      serviceId: '1',
      field: 'services[0].proxy.policy_chain',
    });
    assert.equal((globalThis as { badInitDisposed?: boolean }).badInitDisposed, true);
    assert.throws(
      () => chain.run('rewrite', testContext()),
      (err: unknown) => err instanceof PolicyError && err.policy === 'bad_init' && /init boom/.test(err.message),
    );
  });
});
