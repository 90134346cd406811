/**
 * `apicast` as users run it: boot validation (env, configuration, policies),
 * reload keeping the last good configuration, logs without credentials,
 * custom policies from APICAST_POLICY_LOAD_PATH, readiness.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeBackend } from '../test-support/fake-backend.js';
import { TestUpstream } from '../test-support/upstream.js';
import { APICAST_BIN, REPO_ROOT, gatewayEnv, startGatewayProcess, writeConfigFile } from '../test-support/gateway-process.js';
import { send } from '../test-support/http-client.js';

/** Runs apicast expecting it to exit on its own; returns code and output. */
async function runToExit(env: Record<string, string>, timeoutMs = 15_000): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [APICAST_BIN], { env: await gatewayEnv(env), cwd: REPO_ROOT });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) =>
    child.on('exit', (c) => {
      resolve(c);
    }),
  );
  clearTimeout(timer);
  return { code, output };
}

const echoService = (id: number, host: string, chain: unknown[]) => ({ id, proxy: { hosts: [host], policy_chain: chain } });

describe('apicast command: boot, validation, reload', function () {
  this.timeout(60_000);

  it('exits non-zero naming the variable when a boolean env var is not a boolean', async () => {
    const file = await writeConfigFile({ services: [] });
    const { code, output } = await runToExit({ THREESCALE_CONFIG_FILE: file, APICAST_PATH_ROUTING: 'sometimes' });
    assert.notEqual(code, 0);
    assert.match(output, /APICAST_PATH_ROUTING/);
    assert.match(output, /sometimes/);
  });

  it('exits non-zero naming the variable on an unknown APICAST_MANAGEMENT_API mode', async () => {
    const file = await writeConfigFile({ services: [] });
    const { code, output } = await runToExit({ THREESCALE_CONFIG_FILE: file, APICAST_MANAGEMENT_API: 'all' });
    assert.notEqual(code, 0);
    assert.match(output, /APICAST_MANAGEMENT_API/);
  });

  it('exits 1 on a malformed JSON configuration file, saying so', async () => {
    const file = await writeConfigFile('{"services": [ {"id": 1,, }');
    const { code, output } = await runToExit({ THREESCALE_CONFIG_FILE: file });
    assert.equal(code, 1);
    assert.match(output, /failed to load configuration/);
    assert.match(output, /THREESCALE_CONFIG_FILE: invalid JSON/);
  });

  it('exits 1 naming the field of an invalid configuration (mapping rule without metric)', async () => {
    const file = await writeConfigFile({ services: [{ id: 1, proxy: { proxy_rules: [{ http_method: 'GET', pattern: '/' }] } }] });
    const { code, output } = await runToExit({ THREESCALE_CONFIG_FILE: file });
    assert.equal(code, 1);
    assert.match(output, /configuration\/services\/0\/proxy\/proxy_rules\/0\/metric_system_name/);
  });

  it('exits 1 naming the rule of a pattern JavaScript rejects', async () => {
    const file = await writeConfigFile({
      services: [{ id: 9, proxy: { proxy_rules: [{ http_method: 'GET', pattern: '/a(b', metric_system_name: 'hits' }] } }],
    });
    const { code, output } = await runToExit({ THREESCALE_CONFIG_FILE: file });
    assert.equal(code, 1);
    assert.match(output, /services\[0\]\.proxy\.proxy_rules\[0\]\.pattern/);
    assert.match(output, /service 9/);
  });

  it('exits 1 naming service, policy and field of an invalid policy configuration', async () => {
    const file = await writeConfigFile({ services: [echoService(5, 'e.test', [{ name: 'echo', configuration: { status: 'teapot' } }])] });
    const { code, output } = await runToExit({ THREESCALE_CONFIG_FILE: file });
    assert.equal(code, 1);
    assert.match(output, /service 5, policy echo: configuration\/status: must be integer/);
  });

  it('drops an unknown policy with a warning and keeps the rest of the chain', async () => {
    const gateway = await startGatewayProcess({
      config: { services: [echoService(3, 'e.test', [{ name: 'no_such_policy', version: '9.9.9' }, { name: 'echo' }])] },
    });
    try {
      const response = await send(gateway.url, '/ping', { host: 'e.test' });
      assert.equal(response.status, 200);
      assert.equal(response.body, 'GET /ping HTTP/1.1\n');
      assert.match(gateway.process.logs(), /failed to load policy: no_such_policy version: 9\.9\.9/);
      // Counted where operators look (the metrics listener reads the hook the chain builder calls).
      const metricsPort = Number(gateway.process.spec.env?.APICAST_METRICS_PORT);
      const metrics = await send(`http://127.0.0.1:${metricsPort}`, '/metrics');
      assert.match(metrics.body, /^apicast_policy_load_errors_total\{policy="no_such_policy"\} 1$/m);
    } finally {
      await gateway.stop();
    }
  });

  it('warns once about each ignored Lua-only variable', async () => {
    const gateway = await startGatewayProcess({
      config: { services: [] },
      env: { APICAST_MODULE: 'custom', APICAST_VALIDATE_POLICY_CONFIGS: 'true' },
    });
    try {
      assert.equal(gateway.process.logs().match(/APICAST_MODULE is deprecated/g)?.length, 1);
      assert.doesNotMatch(gateway.process.logs(), /APICAST_MODULE is set but ignored/);
      assert.match(gateway.process.logs(), /APICAST_VALIDATE_POLICY_CONFIGS is ignored/);
    } finally {
      await gateway.stop();
    }
  });

  it('on SIGHUP loads a new valid file, and keeps the last good configuration when the new one is invalid', async () => {
    const gateway = await startGatewayProcess({ config: { services: [echoService(1, 'one.test', [{ name: 'echo' }])] } });
    try {
      assert.equal((await send(gateway.url, '/', { host: 'one.test' })).status, 200);
      await gateway.writeConfig({ services: [echoService(2, 'two.test', [{ name: 'echo', configuration: { status: 201 } }])] });
      gateway.process.signal('SIGHUP');
      let status = 0;
      for (let i = 0; i < 50 && status !== 201; i++) {
        await sleep(100);
        status = (await send(gateway.url, '/', { host: 'two.test' })).status;
      }
      assert.equal(status, 201);
      await gateway.writeConfig('{ not json');
      gateway.process.signal('SIGHUP');
      await sleep(500);
      assert.match(gateway.process.logs(), /previous (one|configuration) keeps serving/);
      assert.equal((await send(gateway.url, '/', { host: 'two.test' })).status, 201);
    } finally {
      await gateway.stop();
    }
  });

  it('never logs credentials: the access log shows *** for credential query values', async () => {
    const backend = await FakeBackend.start({
      serviceTokens: { '11': 'svc-token-value' },
      applications: [{ user_key: 'very-secret-key' }],
    });
    const upstream = await TestUpstream.start();
    const gateway = await startGatewayProcess({
      config: {
        services: [
          {
            id: 11,
            backend_version: '1',
            backend_authentication_type: 'service_token',
            backend_authentication_value: 'svc-token-value',
            proxy: {
              hosts: ['l.test'],
              api_backend: upstream.url,
              backend: { endpoint: backend.url },
              auth_user_key: 'api_key',
              proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
            },
          },
        ],
      },
      env: { APICAST_LOG_LEVEL: 'debug' },
    });
    try {
      assert.equal((await send(gateway.url, '/x?api_key=very-secret-key&page=2', { host: 'l.test' })).status, 200);
      assert.equal((await send(gateway.url, '/x?api_key=very-secret-key&page=2', { host: 'l.test' })).status, 200);
      await backend.waitForCalls(2);
      await sleep(300);
      const logs = gateway.process.logs();
      assert.match(logs, /"GET \/x\?api_key=\*\*\*&page=2 HTTP\/1\.1" 200/);
      assert.match(logs, /backend client uri: .*service_token=\*\*\*/);
      assert.doesNotMatch(logs, /very-secret-key/);
      assert.doesNotMatch(logs, /svc-token-value/);
    } finally {
      await gateway.stop();
      await upstream.stop();
      await backend.stop();
    }
  });

  it('runs a custom policy from APICAST_POLICY_LOAD_PATH that shares data through the context and exports', async () => {
    const root = await mkdtemp(join(tmpdir(), 'custom-policies-'));
    const dir = join(root, 'stamp', '0.1.0');
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'apicast-policy.json'),
      JSON.stringify({
        name: 'Stamp',
        summary: 'adds a header',
        version: '0.1.0',
        configuration: { type: 'object', required: ['value'], properties: { value: { type: 'string' } } },
      }),
    );
    await writeFile(
      join(dir, 'index.js'),
      [
        'export default (configuration) => ({',
        '  export() { return { stamp_prefix: "v=" }; },',
        '  rewrite(ctx) { ctx.shared.seen = ctx.shared.stamp_prefix + configuration.value; },',
        '  header_filter(ctx) { ctx.response.headers.set("X-Stamp", ctx.shared.seen); },',
        '});',
      ].join('\n'),
    );
    const gateway = await startGatewayProcess({
      config: {
        services: [echoService(8, 's.test', [{ name: 'stamp', version: '0.1.0', configuration: { value: 'abc' } }, { name: 'echo' }])],
      },
      env: { APICAST_POLICY_LOAD_PATH: root },
    });
    try {
      const response = await send(gateway.url, '/', { host: 's.test' });
      assert.equal(response.headers['x-stamp'], 'v=abc');
    } finally {
      await gateway.stop();
    }
    const invalid = await writeConfigFile({
      services: [echoService(8, 's.test', [{ name: 'stamp', version: '0.1.0', configuration: {} }])],
    });
    const { code, output } = await runToExit({ THREESCALE_CONFIG_FILE: invalid, APICAST_POLICY_LOAD_PATH: root });
    assert.equal(code, 1);
    assert.match(output, /service 8, policy stamp: configuration\/value: must have required property 'value'/);
  });

  it('reports readiness and liveness on the management port', async () => {
    const gateway = await startGatewayProcess({ config: { services: [] } });
    try {
      const mgmt = `http://127.0.0.1:${gateway.managementPort}`;
      const ready = await send(mgmt, '/status/ready');
      assert.equal(ready.status, 200);
      assert.deepEqual(JSON.parse(ready.body), { status: 'warning', warning: 'no services', success: true });
      assert.deepEqual(JSON.parse((await send(mgmt, '/status/live')).body), { status: 'live', success: true });
      const unknown = await send(mgmt, '/foobar');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body, 'Could not resolve GET /foobar - nil\n');
    } finally {
      await gateway.stop();
    }
  });
});
