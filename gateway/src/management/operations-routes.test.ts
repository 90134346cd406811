/**
 * The management API beyond the probes (gateway.md §6), against the real
 * gateway process: /config in every verb, /boot, /policies, /dns/cache,
 * /status/info, the modes, and pushes reaching every worker.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeDns, type FakeDns } from '../../test-support/fake-dns.js';
import { send } from '../../test-support/http-client.js';
import { startOpsGateway, type OpsGateway } from '../../test-support/ops-gateway.js';
import { TestUpstream } from '../../test-support/upstream.js';

const service = (id: number, host: string, upstream: string, extra: Record<string, unknown> = {}) => ({
  id,
  system_name: `svc_${id}`,
  proxy: {
    hosts: [host],
    api_backend: upstream,
    proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
    ...extra,
  },
});

const json = async (base: string, path: string, method = 'GET', body?: string) => {
  const response = await send(base, path, { method, ...(body === undefined ? {} : { body }) });
  return {
    status: response.status,
    type: response.headers['content-type'],
    body: response.body,
    json: response.body.trim() === '' ? undefined : (JSON.parse(response.body) as unknown),
  };
};

describe('management API: configuration, boot, policies, DNS (gateway.md §6)', function () {
  this.timeout(60_000);
  let upstream: TestUpstream;
  let dns: FakeDns;
  let gateway: OpsGateway | undefined;
  beforeEach(async () => {
    upstream = await TestUpstream.start();
    dns = await startFakeDns();
  });
  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
    await upstream.stop();
    await dns.stop();
  });

  it('GET/POST/PUT/DELETE /config: pushes add, invalid ones are 400 naming the field and change nothing', async () => {
    const original = service(42, 'one.example.com', upstream.url);
    gateway = await startOpsGateway({ config: { services: [original] }, env: { APICAST_MANAGEMENT_API: 'debug' } });
    const m = gateway.management;

    let answer = await json(m, '/config');
    assert.equal(answer.type, 'application/json; charset=utf-8');
    assert.ok(answer.body.endsWith('\n'));
    assert.deepEqual(answer.json, { services: [original] }, 'the service JSON exactly as received (id stays a number)');

    const pushed = { services: [service(43, 'two.example.com', upstream.url)] };
    answer = await json(m, '/config', 'POST', JSON.stringify(pushed));
    assert.deepEqual(answer.json, { status: 'ok', config: pushed, services: 1 });
    assert.equal((await send(gateway.url, '/?user_key=k', { host: 'two.example.com' })).status, 200);
    assert.equal((await send(gateway.url, '/?user_key=k', { host: 'one.example.com' })).status, 200, 'earlier services keep answering');

    answer = await json(m, '/config', 'PUT', '{"services": [');
    assert.equal(answer.status, 400);
    assert.deepEqual(Object.keys(answer.json as object), ['status', 'config', 'error']);
    assert.equal((answer.json as { status: string }).status, 'error');

    const invalid = {
      services: [service(44, 'three.example.com', upstream.url, { policy_chain: [{ name: 'echo', configuration: { status: 'x' } }] })],
    };
    answer = await json(m, '/config', 'POST', JSON.stringify(invalid));
    assert.equal(answer.status, 400);
    const error = answer.json as { status: string; config: null; error: string };
    assert.equal(error.status, 'error');
    assert.equal(error.config, null);
    assert.match(error.error, /services\[0\]\.proxy\.policy_chain\[0\]\.configuration.*service 44.*echo.*status/);
    assert.equal((await send(gateway.url, '/?user_key=k', { host: 'three.example.com' })).status, 404);
    assert.equal(((await json(m, '/config')).json as { services: unknown[] }).services.length, 2, 'running configuration unchanged');

    answer = await json(m, '/config', 'POST', '{"no_services": true}');
    assert.deepEqual(
      { status: answer.status, json: answer.json },
      { status: 406, json: { status: 'not_configured', config: { no_services: true }, services: 0 } },
    );

    answer = await json(m, '/config', 'DELETE');
    assert.deepEqual(answer.json, { status: 'ok', config: null });
    assert.equal((await json(m, '/config')).body, 'null\n');
    assert.equal((await json(m, '/status/ready')).status, 412);
    assert.equal((await send(gateway.url, '/?user_key=k', { host: 'one.example.com' })).status, 404);

    answer = await json(m, '/boot', 'POST');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json, { status: 'ok', config: { services: [original] } });
    assert.equal((await send(gateway.url, '/?user_key=k', { host: 'one.example.com' })).status, 200, 'POST /boot re-read the file');
  });

  it('routes absent from the mode answer 404 "Could not resolve"; /policies lists builtin and custom manifests; /status/info', async () => {
    const loadPath = await mkdtemp(join(tmpdir(), 'policies-'));
    const custom = join(loadPath, 'my_policy', '1.0.0');
    await mkdir(custom, { recursive: true });
    await writeFile(
      join(custom, 'apicast-policy.json'),
      JSON.stringify({ name: 'My policy', summary: 's', version: '1.0.0', configuration: { type: 'object' } }),
    );
    await writeFile(join(custom, 'index.js'), 'export default () => ({});\n');
    gateway = await startOpsGateway({ config: { services: [] }, env: { APICAST_POLICY_LOAD_PATH: loadPath, APICAST_WORKERS: '2' } });
    const m = gateway.management;
    const missing = await send(m, '/config');
    assert.equal(missing.status, 404);
    assert.equal(missing.body, 'Could not resolve GET /config - nil\n');

    const policies = (await json(m, '/policies')).json as { policies: Record<string, { name: string; version: string }[]> };
    assert.equal(policies.policies.echo[0].version, 'builtin');
    assert.equal(policies.policies.rate_limit[0].version, 'builtin');
    assert.deepEqual(
      policies.policies.my_policy.map((p) => p.version),
      ['1.0.0'],
    );
    assert.deepEqual((await json(m, '/policies/')).json, policies);

    const info = (await json(m, '/status/info')).json as { worker: { count: number; exiting: boolean } };
    assert.equal(info.worker.count, 2);
    assert.equal(info.worker.exiting, false);
  });

  it('with several workers a pushed configuration serves on every worker, and /dns/cache shows what upstream names resolved to', async () => {
    dns.set('upstream.internal.test', ['127.0.0.1'], 120);
    gateway = await startOpsGateway({
      config: { services: [] },
      env: { APICAST_MANAGEMENT_API: 'debug', APICAST_WORKERS: '3', RESOLVER: dns.address },
    });
    const named = `http://upstream.internal.test:${upstream.port}`;
    const answer = await json(
      gateway.management,
      '/config',
      'POST',
      JSON.stringify({ services: [service(9, 'pushed.example.com', named)] }),
    );
    assert.equal(answer.status, 200);
    const { request } = await import('undici');
    const batch = () =>
      Promise.all(
        Array.from({ length: 30 }, async () => {
          // a new connection per request so the workers share them
          const response = await request(`${gateway!.url}/?user_key=k`, { headers: { host: 'pushed.example.com' }, reset: true });
          await response.body.dump();
          return response.statusCode;
        }),
      );
    // The push reaches the other workers over IPC, asynchronously: poll (bounded) until a
    // whole batch spread over every worker is served, instead of sleeping a fixed time.
    let statuses = await batch();
    for (const deadline = Date.now() + 10_000; statuses.some((s) => s !== 200) && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      statuses = await batch();
    }
    assert.deepEqual([...new Set(statuses)], [200], 'every worker serves the pushed configuration');
    assert.ok(dns.questions.includes('upstream.internal.test'), 'the upstream name was resolved through RESOLVER');
    // /dns/cache is per worker: ask until the worker answering has resolved the name.
    let cache: Partial<Record<string, { value: { answers: { address: string }[]; ttl: number }; expires_in: number }>> = {};
    for (let i = 0; i < 20 && !cache['upstream.internal.test']; i++)
      cache = (await json(gateway.management, '/dns/cache')).json as typeof cache;
    const entry = cache['upstream.internal.test'];
    assert.ok(entry, 'a worker resolved the upstream name');
    assert.equal(entry.value.answers[0].address, '127.0.0.1');
    assert.equal(entry.value.ttl, 120);
    assert.ok(entry.expires_in > 100 && entry.expires_in <= 120);
  });
});
