import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { PolicyRegistry } from '../chain/registry.js';
import { buildChain } from '../chain/build.js';
import { parseSettings } from '../settings.js';
import { noopHooks } from '../telemetry/hooks.js';
import { GatewayRuntime } from '../runtime/gateway-runtime.js';
import { HeaderMap } from '../http/header-map.js';
import { generateCommand, generatePolicy, GeneratePolicyError } from './generate-policy.js';

const run = promisify(execFile);
const silent = pino({ level: 'silent' });

describe('apicast generate policy (scaffolding)', () => {
  it('writes a custom policy whose own generated test passes as generated', async () => {
    const root = await mkdtemp(join(tmpdir(), 'generated-'));
    const { directory } = await generatePolicy('my_policy', root);
    assert.equal(directory, join(root, 'my_policy', '0.1'));
    const { stdout } = await run(process.execPath, ['--test', '--test-reporter=tap', join(directory, 'index.test.js')]);
    assert.match(stdout, /# pass 4/);
    assert.match(stdout, /# fail 0/);
  });

  it('is found on APICAST_POLICY_LOAD_PATH, validated and built like any custom policy', async () => {
    const root = await mkdtemp(join(tmpdir(), 'generated-'));
    await generatePolicy('header-adder', root);
    const registry = await PolicyRegistry.load({ log: silent, loadPath: [root] });
    const loaded = await registry.find('header-adder', '0.1');
    assert.ok(loaded, 'the registry loads the generated folder');
    assert.equal(loaded.manifest.version, '0.1');
    const chain = await buildChain([{ name: 'header-adder', version: '0.1', configuration: { header: 'X-Generated', value: 'ok' } }], {
      registry,
      settings: parseSettings({}),
      log: silent,
      hooks: noopHooks,
      runtime: new GatewayRuntime(),
      service: undefined,
      serviceId: '1',
      field: 'policy_chain',
    });
    const headers = new HeaderMap();
    const ctx = { response: { headers } } as unknown as Parameters<NonNullable<(typeof chain.entries)[0]['policy']['header_filter']>>[0];
    await chain.entries[0].policy.header_filter!(ctx);
    assert.equal(headers.get('X-Generated'), 'ok');
    await assert.rejects(
      buildChain([{ name: 'header-adder', version: '0.1', configuration: { header: 5 } }], {
        registry,
        settings: parseSettings({}),
        log: silent,
        hooks: noopHooks,
        runtime: new GatewayRuntime(),
        service: undefined,
        serviceId: '1',
        field: 'policy_chain',
      }),
      /header/,
    );
  });

  it('refuses bad names and never overwrites an existing policy', async () => {
    const root = await mkdtemp(join(tmpdir(), 'generated-'));
    for (const name of ['../escape', 'a/b', '', '1abc']) await assert.rejects(generatePolicy(name, root), GeneratePolicyError, name);
    await generatePolicy('once', root);
    const before = await readFile(join(root, 'once', '0.1', 'index.js'), 'utf8');
    await assert.rejects(generatePolicy('once', root), /already exists/);
    assert.equal(await readFile(join(root, 'once', '0.1', 'index.js'), 'utf8'), before);
  });

  it('CLI arguments: usage error without a name, exit 0 and the folder printed otherwise', async () => {
    const root = await mkdtemp(join(tmpdir(), 'generated-'));
    const lines: string[] = [];
    assert.equal(
      await generateCommand(
        ['policy'],
        (l) => lines.push(l),
        (l) => lines.push(l),
      ),
      2,
    );
    assert.match(lines.join('\n'), /usage: apicast generate policy NAME/);
    assert.equal(
      await generateCommand(
        ['policy', 'cli_made', root],
        (l) => lines.push(l),
        (l) => lines.push(l),
      ),
      0,
    );
    assert.match(lines.join('\n'), /cli_made\/0\.1/);
  });
});
