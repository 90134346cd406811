import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { freePort } from '../../../test/support/ports.js';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

describe('content_caching through the real gateway', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;
  let counter = 0;
  let metricsPort: number;
  let temporary: string;

  before(async () => {
    // The gateway's os.tmpdir() follows TMPDIR: its cache lives in <temporary>/cache, fresh per run.
    temporary = await mkdtemp(join(tmpdir(), 'content-cache-'));
    upstream = await startUpstream((req, res) => {
      counter++;
      const headers: Record<string, string> = { 'Content-Type': 'text/plain' };
      if (req.url.startsWith('/private')) headers['Cache-Control'] = 'private';
      res.writeHead(200, headers);
      res.end(`response ${counter}`);
    });
    gateway = await startGateway(
      serviceConfiguration(
        [
          {
            name: 'content_caching',
            configuration: {
              rules: [
                { cache: false, header: 'X-Never', condition: { combine_op: 'and', operations: [{ left: 'a', op: '==', right: 'a' }] } },
                {
                  cache: true,
                  header: 'X-Cache-Status',
                  condition: {
                    combine_op: 'and',
                    operations: [{ left: '{{ uri }}', left_type: 'liquid', op: 'matches', right: '^/(cached|private)' }],
                  },
                },
              ],
            },
          },
          { name: 'apicast' },
        ],
        upstream.url,
      ),
      { env: { APICAST_METRICS_PORT: String((metricsPort = await freePort())), TMPDIR: temporary } },
    );
  });
  after(async () => {
    await stopAll(gateway);
    await closeAll(upstream);
    if (temporary) await rm(temporary, { recursive: true, force: true });
  });

  async function get(path: string) {
    const response = await request(`${gateway.url}${path}`, { headers: { host: 'localhost' } });
    return { status: response.statusCode, cache: response.headers['x-cache-status'], body: await response.body.text() };
  }

  it('stores a matching response (MISS) and serves it again without the upstream (HIT)', async () => {
    const first = await get('/cached/a?user_key=k');
    assert.deepEqual(first, { status: 200, cache: 'MISS', body: first.body });
    const calls = upstream.received.length;
    const second = await get('/cached/a?user_key=k');
    assert.deepEqual(second, { status: 200, cache: 'HIT', body: first.body });
    assert.equal(upstream.received.length, calls);
  });

  it('keeps entries on disk under TMPDIR/cache, named by a hash and never by the key (it may hold credentials)', async () => {
    await get('/cached/secret?user_key=very-secret-key');
    const files = await readdir(join(temporary, 'cache'));
    assert.ok(
      files.some((f) => /^[0-9a-f]{64}$/.test(f)),
      files.join(', '),
    );
    assert.ok(files.every((f) => !f.includes('secret')));
  });

  it('keys on the full request URI including the query', async () => {
    const a = await get('/cached/q?user_key=k&page=1');
    const b = await get('/cached/q?user_key=k&page=2');
    assert.notEqual(a.body, b.body);
  });

  it('does not store responses when no caching rule matches, or when the upstream says private', async () => {
    const one = await get('/other?user_key=k');
    const two = await get('/other?user_key=k');
    assert.notEqual(one.body, two.body);
    assert.equal(one.cache, undefined);
    const p1 = await get('/private?user_key=k');
    const p2 = await get('/private?user_key=k');
    assert.notEqual(p1.body, p2.body);
    assert.equal(p2.cache, 'MISS');
  });

  it('counts cache statuses in the content_caching metric', async () => {
    await get('/cached/metric?user_key=k');
    await get('/cached/metric?user_key=k');
    const response = await request(`http://127.0.0.1:${metricsPort}/metrics`);
    const text = await response.body.text();
    const value = (status: string) => Number(new RegExp(`^content_caching\\{status="${status}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    assert.ok(
      value('HIT') >= 2,
      text
        .split('\n')
        .filter((l) => l.startsWith('content_caching'))
        .join('\n'),
    );
    assert.ok(value('MISS') >= 3);
  });
});
