import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccessLog, formatAccessLine, timeLocal } from './access-log.js';

const entry = {
  time: new Date(Date.UTC(2026, 10, 23, 13, 45, 1)),
  host: 'api.test',
  serverPort: 8080,
  remoteAddress: '127.0.0.1',
  remotePort: 5000,
  requestLine: 'GET /x?user_key=*** HTTP/1.1',
  status: 200,
  bytesSent: 12,
  requestTime: 0.0123,
  postActionTime: 0,
};

describe('access log', () => {
  it('formats the original line', () => {
    assert.match(timeLocal(entry.time), /^\d\d\/Nov\/2026:\d\d:\d\d:01 [+-]\d{4}$/);
    assert.match(
      formatAccessLine(entry),
      /^\[.+\] api\.test:8080 127\.0\.0\.1:5000 "GET \/x\?user_key=\*\*\* HTTP\/1\.1" 200 12 \(0\.012\) 0\.000\n$/,
    );
  });

  it('writes through a 64k buffer (APICAST_ACCESS_LOG_BUFFER) and flushes within a second', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'access-')), 'access.log');
    const log = createAccessLog(file, 64 * 1024);
    log.write(entry);
    log.writeRaw('custom line\n');
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const text = await readFile(file, 'utf8');
    assert.match(text, /"GET \/x\?user_key=\*\*\* HTTP\/1\.1" 200/);
    assert.match(text, /custom line\n$/);
  });
  it('a full buffer is written without waiting for the timer, lines in order and whole', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'access-')), 'access.log');
    const log = createAccessLog(file, 1024);
    for (let i = 0; i < 100; i++) log.writeRaw(`line ${i} ${'x'.repeat(40)}\n`); // ~4.8k: four full 1k batches and a tail
    await new Promise((resolve) => setTimeout(resolve, 300)); // well before the 1 s flush timer
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    assert.ok(lines.length >= 80 && lines.length < 100, `${lines.length} lines: the batches that filled 1k, not the tail`);
    assert.deepEqual(
      lines,
      lines.map((_, i) => `line ${i} ${'x'.repeat(40)}`),
    );
    log.flush();
    assert.equal((await readFile(file, 'utf8')).split('\n').filter(Boolean).length, 100);
  });
});
