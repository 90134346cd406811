import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { entryFileName } from './disk-cache.js';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

/** The cache is on disk, shared by all workers (gateway.md §0; spec README decisions "workers"). */
describe('content_caching with APICAST_WORKERS=2', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;
  let temporary: string;
  let counter = 0;
  const upstreamSockets = new Set<number>();

  before(async () => {
    temporary = await mkdtemp(join(tmpdir(), 'content-cache-workers-'));
    upstream = await startUpstream((req, res) => {
      counter++;
      upstreamSockets.add(res.socket?.remotePort ?? 0);
      const headers: Record<string, string> = { 'Content-Type': 'text/plain' };
      if (req.url.startsWith('/cached/short')) headers['Cache-Control'] = 'max-age=1';
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
                {
                  cache: true,
                  header: 'X-Cache-Status',
                  condition: {
                    combine_op: 'and',
                    operations: [{ left: '{{ uri }}', left_type: 'liquid', op: 'matches', right: '^/cached' }],
                  },
                },
              ],
            },
          },
          { name: 'apicast' },
        ],
        upstream.url,
      ),
      { env: { APICAST_WORKERS: '2', TMPDIR: temporary } },
    );
  });
  after(async () => {
    await stopAll(gateway);
    await closeAll(upstream);
    if (temporary) await rm(temporary, { recursive: true, force: true });
  });

  /** A request on a new connection: the cluster hands new connections to the workers in turn. */
  async function get(path: string) {
    const response = await request(`${gateway.url}${path}`, { headers: { host: 'localhost' }, reset: true });
    return { cache: response.headers['x-cache-status'], body: await response.body.text() };
  }

  /**
   * The entry is renamed into place a few milliseconds after the client got
   * the last byte; until then only the storing worker knows it (it waits for
   * its own write). Wait for the file so the next request may go anywhere.
   */
  async function published(path: string, since: number): Promise<void> {
    const file = join(temporary, 'cache', entryFileName(`httpGET${path}42`));
    for (let i = 0; i < 100; i++) {
      const info = await stat(file).catch(() => undefined);
      if (info && info.mtimeMs >= since - 1000) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.fail(`${path} was not published`);
  }

  it('new connections reach both workers (each worker keeps its own upstream connection)', async () => {
    // Ready means one worker answers: ask on new connections until both did.
    for (let i = 0; i < 200 && upstreamSockets.size < 2; i++) await get('/uncached?user_key=k');
    assert.equal(upstreamSockets.size, 2, `upstream saw ${upstreamSockets.size} connection(s)`);
  });

  it('a response stored by one worker is a HIT on every worker', async () => {
    const since = Date.now();
    const first = await get('/cached/shared?user_key=k');
    assert.equal(first.cache, 'MISS');
    await published('/cached/shared?user_key=k', since);
    const calls = upstream.received.length;
    const statuses: string[] = [];
    for (let i = 0; i < 20; i++) {
      const next = await get('/cached/shared?user_key=k');
      statuses.push(String(next.cache));
      assert.equal(next.body, first.body);
    }
    assert.deepEqual(statuses, Array(20).fill('HIT'));
    assert.equal(upstream.received.length, calls, 'no worker called the upstream again');
  });

  it('reports EXPIRED once the lifetime passed, then serves the refreshed entry on every worker', async () => {
    const since = Date.now();
    assert.equal((await get('/cached/short?user_key=k')).cache, 'MISS');
    await published('/cached/short?user_key=k', since);
    assert.equal((await get('/cached/short?user_key=k')).cache, 'HIT');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refreshed = Date.now();
    const expired = await get('/cached/short?user_key=k');
    assert.equal(expired.cache, 'EXPIRED');
    await published('/cached/short?user_key=k', refreshed);
    for (let i = 0; i < 4; i++) assert.deepEqual(await get('/cached/short?user_key=k'), { cache: 'HIT', body: expired.body });
  });
});
