/**
 * The logging policy through the real gateway: what lands in the access log
 * file (APICAST_ACCESS_LOG_FILE) per service, as an operator reading it sees it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { startGateway, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

function service(id: number, host: string, upstreamUrl: string, logging: Record<string, unknown> | undefined): Record<string, unknown> {
  const chain: unknown[] = [{ name: 'upstream', configuration: { rules: [{ regex: '/', url: upstreamUrl }] } }];
  if (logging) chain.unshift({ name: 'logging', configuration: logging });
  return { id, backend_version: '1', proxy: { hosts: [host], api_backend: upstreamUrl, proxy_rules: [], policy_chain: chain } };
}

describe('logging policy through the real gateway (access log file)', function () {
  this.timeout(60_000);
  let upstream: UpstreamServer;
  let gateway: RunningGateway;
  let logFile: string;

  before(async () => {
    logFile = join(await mkdtemp(join(tmpdir(), 'apicast-access-')), 'access.log');
    upstream = await startUpstream();
    gateway = await startGateway(
      {
        services: [
          service(1, 'plain.test', upstream.url, undefined),
          service(2, 'off.test', upstream.url, { enable_access_logs: false }),
          service(3, 'custom.test', upstream.url, {
            custom_logging: 'custom {{ service.id }} {{ status }} {{ req.headers.x-trace }} {{ request_uri }}',
          }),
          service(4, 'json.test', upstream.url, {
            enable_json_logs: true,
            json_object_config: [
              { key: 'host', value: '{{ host }}', value_type: 'liquid' },
              { key: 'status', value: '{{ status }}', value_type: 'liquid' },
            ],
          }),
          service(5, 'cond.test', upstream.url, {
            custom_logging: 'only-errors {{ status }}',
            condition: { operations: [{ op: '==', match: '{{ status }}', match_type: 'liquid', value: '404', value_type: 'plain' }] },
          }),
        ],
      },
      { env: { APICAST_ACCESS_LOG_FILE: logFile } },
    );
  });
  after(async () => {
    await stopAll(gateway);
    await closeAll(upstream);
  });

  async function get(host: string, path: string, headers: Record<string, string> = {}): Promise<number> {
    const response = await request(`${gateway.url}${path}`, { headers: { host, ...headers } });
    await response.body.dump();
    return response.statusCode;
  }

  /** Access log lines written since `before` lines were there (the log line follows the response). */
  async function newLines(before: number, expected: number): Promise<string[]> {
    for (let i = 0; i < 100; i++) {
      const lines = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
      if (lines.length >= before + expected) {
        await sleep(100); // let a line that should not be there show up
        return (await readFile(logFile, 'utf8'))
          .split('\n')
          .filter((l) => l !== '')
          .slice(before);
      }
      await sleep(50);
    }
    throw new Error(`expected ${expected} new access log lines`);
  }

  async function lineCount(): Promise<number> {
    return (await readFile(logFile, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '').length;
  }

  it('without the policy, the default access line is written', async () => {
    const before = await lineCount();
    assert.equal(await get('plain.test', '/a?x=1'), 200);
    const lines = await newLines(before, 1);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /"GET \/a\?x=1 HTTP\/1\.1" 200 /);
  });

  it('enable_access_logs false: the request leaves no line at all', async () => {
    const before = await lineCount();
    assert.equal(await get('off.test', '/hidden'), 200);
    assert.equal(await get('plain.test', '/marker'), 200);
    const lines = await newLines(before, 1);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /\/marker/);
  });

  it('custom_logging replaces the default line with the rendered template', async () => {
    const before = await lineCount();
    assert.equal(await get('custom.test', '/c?user_key=SECRET', { 'X-Trace': 'trace-7' }), 200);
    const lines = await newLines(before, 1);
    assert.deepEqual(lines, ['custom 3 200 trace-7 /c?user_key=***']);
  });

  it('enable_json_logs writes one JSON object per request', async () => {
    const before = await lineCount();
    assert.equal(await get('json.test', '/j'), 200);
    const lines = await newLines(before, 1);
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0]), { host: 'json.test', status: '200' });
  });

  it('a condition writes the custom line only when it holds', async () => {
    const before = await lineCount();
    upstream.setHandler((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    try {
      assert.equal(await get('cond.test', '/ok'), 404);
    } finally {
      upstream.setHandler((_req, res) => {
        res.writeHead(200);
        res.end('ok');
      });
    }
    assert.equal(await get('cond.test', '/fine'), 200);
    assert.equal(await get('plain.test', '/marker2'), 200);
    const lines = await newLines(before, 2);
    assert.equal(lines.length, 2);
    assert.equal(lines[0], 'only-errors 404');
    assert.match(lines[1], /\/marker2/);
  });
});
