import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskCache, entryFileName } from './disk-cache.js';
import { startSweeping, sweepCache } from './disk-sweep.js';

describe('content_caching disk store bound (expiry and size sweep)', () => {
  let directory: string;
  beforeEach(async () => {
    directory = join(await mkdtemp(join(tmpdir(), 'disk-sweep-')), 'cache');
  });
  afterEach(async () => {
    await rm(join(directory, '..'), { recursive: true, force: true });
  });

  async function store(cache: DiskCache, key: string, body: string, expiresAt: number, storedAtSeconds?: number): Promise<void> {
    const writer = cache.startEntry(key, { status: 200, headers: [], expiresAt });
    writer.write(Buffer.from(body));
    writer.finish();
    await writer.settled;
    if (storedAtSeconds !== undefined) await utimes(join(directory, entryFileName(key)), storedAtSeconds, storedAtSeconds);
  }

  it('removes expired and unreadable entries and keeps fresh ones', async () => {
    const cache = new DiskCache(directory);
    const now = Date.now();
    await store(cache, 'fresh', 'a', now + 60_000);
    await store(cache, 'stale', 'b', now - 1);
    await writeFile(join(directory, entryFileName('damaged')), 'xx');
    const result = await sweepCache(directory, { nowMs: now });
    assert.equal(result.expired, 2);
    assert.deepEqual(await readdir(directory), [entryFileName('fresh')]);
    assert.equal((await cache.lookup('fresh')).status, 'HIT');
  });

  it('evicts the oldest entries until the total is under the limit', async () => {
    const cache = new DiskCache(directory);
    const far = Date.now() + 3_600_000;
    const body = 'x'.repeat(1000);
    await store(cache, 'oldest', body, far, 1_000_000);
    await store(cache, 'middle', body, far, 2_000_000);
    await store(cache, 'newest', body, far, 3_000_000);
    const result = await sweepCache(directory, { maxTotalBytes: 2500 });
    assert.equal(result.evicted, 1);
    assert.ok(result.remainingBytes <= 2500);
    assert.equal((await cache.lookup('oldest')).status, 'MISS');
    assert.equal((await cache.lookup('middle')).status, 'HIT');
    assert.equal((await cache.lookup('newest')).status, 'HIT');
  });

  it('removes abandoned temporary files but not ones being written', async () => {
    await new DiskCache(directory).prepare();
    await writeFile(join(directory, '.tmp-abandoned'), 'x');
    await utimes(join(directory, '.tmp-abandoned'), 1_000_000, 1_000_000);
    await writeFile(join(directory, '.tmp-active'), 'x');
    await sweepCache(directory);
    assert.deepEqual(await readdir(directory), ['.tmp-active']);
  });

  it('tolerates entries removed by another worker during the sweep and a missing directory', async () => {
    const cache = new DiskCache(directory);
    const now = Date.now();
    for (let i = 0; i < 50; i++) await store(cache, `k${i}`, 'y'.repeat(100), i % 2 ? now - 1 : now + 60_000);
    // Two workers sweeping at once race on every unlink; neither may fail.
    const [a, b] = await Promise.all([
      sweepCache(directory, { nowMs: now, maxTotalBytes: 0 }),
      sweepCache(directory, { nowMs: now, maxTotalBytes: 0 }),
    ]);
    assert.equal(a.expired + b.expired + a.evicted + b.evicted, 50);
    assert.deepEqual(await readdir(directory), []);
    await rm(directory, { recursive: true });
    assert.deepEqual(await sweepCache(directory), { expired: 0, evicted: 0, remainingBytes: 0 });
  });

  it('sweeps periodically once started', async () => {
    const cache = new DiskCache(directory);
    await store(cache, 'soon-stale', 'z', Date.now() + 50);
    const stop = startSweeping(
      directory,
      (m, e) => {
        throw new Error(`${m}: ${String(e)}`);
      },
      40,
    );
    try {
      const deadline = Date.now() + 3000;
      while ((await readdir(directory)).length > 0) {
        assert.ok(Date.now() < deadline, 'the expired entry was never swept');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      stop();
    }
  });
});
