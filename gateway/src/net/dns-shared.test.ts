/**
 * The DNS cache is one cache for the whole gateway (gateway.md §10 "shared
 * across workers", `/dns/cache` exposes it): with two workers, a name one
 * worker resolved is answered by every worker without a second query, and
 * every worker's /dns/cache shows it.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request } from 'undici';
import { FakeDns } from '../../test-support/fake-dns.js';
import { eventually, startOpsGateway, type OpsGateway } from '../../test-support/ops-gateway.js';
import { TestUpstream } from '../../test-support/upstream.js';

interface CacheView {
  [name: string]: { value: { answers: { address: string }[]; ttl: number }; expires_in: number };
}

/** A new connection per request, so node:cluster spreads the requests over the workers. */
async function fresh(url: string, host?: string): Promise<{ status: number; body: string }> {
  const response = await request(url, { reset: true, headers: host ? { host } : {}, signal: AbortSignal.timeout(5000) });
  return { status: response.statusCode, body: await response.body.text() };
}

describe('DNS cache shared across workers (gateway.md §10)', function () {
  this.timeout(60_000);
  let dns: FakeDns;
  let upstream: TestUpstream;
  let gateway: OpsGateway | undefined;
  beforeEach(async () => {
    dns = await new FakeDns().start();
    upstream = await TestUpstream.start();
  });
  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
    await upstream.stop();
    await dns.stop();
  });

  it('a name resolved by one worker is used by the other without a new query, and /dns/cache shows one view', async () => {
    dns.set('upstream.shared.test', ['127.0.0.1'], 300);
    const config = {
      services: [
        {
          id: 1,
          proxy: {
            hosts: ['dns.example.com'],
            api_backend: `http://upstream.shared.test:${upstream.port}`,
            proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
          },
        },
      ],
    };
    gateway = await startOpsGateway({ config, env: { APICAST_WORKERS: '2', APICAST_MANAGEMENT_API: 'debug', RESOLVER: dns.address } });

    assert.equal((await fresh(`${gateway.url}/?user_key=k`, 'dns.example.com')).status, 200);
    const asked = () => dns.questions.filter((q) => q === 'upstream.shared.test').length;
    assert.equal(asked(), 1, 'the first request resolved the upstream name');
    await new Promise((resolve) => setTimeout(resolve, 300)); // the answer travels worker → primary → worker

    const views = await Promise.all(
      Array.from({ length: 8 }, async () => JSON.parse((await fresh(`${gateway!.management}/dns/cache`)).body) as CacheView),
    );
    for (const view of views) {
      const entry = view['upstream.shared.test'];
      assert.ok(entry, `every worker's /dns/cache lists the name (got ${JSON.stringify(Object.keys(view))})`);
      assert.equal(entry.value.answers[0].address, '127.0.0.1');
      assert.equal(entry.value.ttl, 300);
    }
    assert.equal(new Set(views.map((v) => v['upstream.shared.test'].expires_in)).size <= 2, true, 'one entry, one expiry (±1 s rounding)');

    const statuses = await Promise.all(
      Array.from({ length: 16 }, async () => (await fresh(`${gateway!.url}/?user_key=k`, 'dns.example.com')).status),
    );
    assert.deepEqual([...new Set(statuses)], [200]);
    assert.equal(asked(), 1, 'no worker asked the nameserver again: the cached answer is shared');

    // A worker started later (after a crash) gets the table from the primary.
    const workerPids = (await readFile(`/proc/${gateway.process.pid}/task/${gateway.process.pid}/children`, 'utf8'))
      .trim()
      .split(/\s+/)
      .map(Number);
    assert.equal(workerPids.length, 2);
    process.kill(workerPids[0], 'SIGKILL');
    const g = gateway;
    let seen = '';
    try {
      await eventually(
        async () => {
          const children = (await readFile(`/proc/${g.process.pid}/task/${g.process.pid}/children`, 'utf8'))
            .trim()
            .split(/\s+/)
            .map(Number);
          seen = `workers ${children.join(',')}`;
          if (children.length !== 2 || children.includes(workerPids[0])) return false;
          const views = await Promise.all(Array.from({ length: 6 }, async () => (await fresh(`${g.management}/dns/cache`)).body));
          seen += `; views ${views.map((v) => v.slice(0, 30)).join(' | ')}`;
          return views.every((view) => view.includes('upstream.shared.test'));
        },
        15_000,
        'the replacement worker lists the name too',
      );
    } catch (error) {
      throw new Error(`${(error as Error).message} (last seen: ${seen})\n${g.process.logs().slice(-2000)}`, { cause: error });
    }
    const after = await Promise.all(Array.from({ length: 8 }, async () => (await fresh(`${g.url}/?user_key=k`, 'dns.example.com')).status));
    assert.deepEqual([...new Set(after)], [200]);
    assert.equal(asked(), 1, 'the replacement worker did not ask the nameserver either');
  });
});
