import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskCache, entryFileName } from './disk-cache.js';

describe('content_caching disk store (gateway.md §0 content cache on disk)', () => {
  let directory: string;
  beforeEach(async () => {
    directory = join(await mkdtemp(join(tmpdir(), 'disk-cache-')), 'cache');
  });
  afterEach(async () => {
    await rm(join(directory, '..'), { recursive: true, force: true });
  });

  const metadata = (expiresAt = Date.now() + 60_000) => ({
    status: 200,
    headers: [
      ['Content-Type', ['text/plain']],
      ['X-Multi', ['a', 'b']],
    ] as [string, string[]][],
    expiresAt,
  });

  it('streams an entry into a temporary file and publishes it only when finished', async () => {
    const cache = new DiskCache(directory);
    await cache.prepare();
    const writer = cache.startEntry('GET/a?user_key=k', metadata());
    assert.ok(writer.write(Buffer.from('hello ')));
    assert.ok(writer.write(Buffer.from('world')));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(await cache.lookup('GET/a?user_key=k'), { status: 'MISS' }, 'not visible before finish');
    assert.ok((await readdir(directory)).every((f) => f.startsWith('.tmp-')));
    writer.finish();
    const found = await cache.lookup('GET/a?user_key=k');
    assert.equal(found.status, 'HIT');
    assert.equal(found.entry.body.toString(), 'hello world');
    assert.equal(found.entry.status, 200);
    assert.deepEqual(found.entry.headers, metadata().headers);
    assert.deepEqual(await readdir(directory), [entryFileName('GET/a?user_key=k')]);
  });

  it('is visible to another store on the same directory (another worker) and reports EXPIRED after expiry', async () => {
    const writerCache = new DiskCache(directory);
    const expiresAt = Date.now() + 60_000;
    const writer = writerCache.startEntry('key', metadata(expiresAt));
    writer.write(Buffer.from('x'));
    writer.finish();
    await writer.settled;
    const other = new DiskCache(directory);
    assert.equal((await other.lookup('key')).status, 'HIT');
    assert.deepEqual(await other.lookup('key', expiresAt + 1), { status: 'EXPIRED' });
  });

  it('drops entries larger than the maximum and aborted ones, leaving no file behind', async () => {
    const cache = new DiskCache(directory, 10);
    const big = cache.startEntry('big', metadata());
    assert.ok(big.write(Buffer.alloc(6)));
    assert.equal(big.write(Buffer.alloc(6)), false);
    big.finish();
    await big.settled;
    const aborted = cache.startEntry('aborted', metadata());
    aborted.write(Buffer.from('partial'));
    aborted.abort();
    await aborted.settled;
    assert.deepEqual(await readdir(directory), []);
    assert.equal((await cache.lookup('big')).status, 'MISS');
    assert.equal((await cache.lookup('aborted')).status, 'MISS');
  });

  it('treats a damaged entry file as a MISS', async () => {
    const cache = new DiskCache(directory, undefined, () => {});
    await cache.prepare();
    await writeFile(join(directory, entryFileName('damaged')), Buffer.from([0, 0, 0, 9, 123, 125]));
    assert.deepEqual(await cache.lookup('damaged'), { status: 'MISS' });
    await writeFile(join(directory, entryFileName('damaged')), Buffer.concat([Buffer.from([0, 0, 0, 2]), Buffer.from('{}')]));
    assert.deepEqual(await cache.lookup('damaged'), { status: 'MISS' });
  });
});
