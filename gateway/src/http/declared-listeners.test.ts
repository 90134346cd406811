import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { pino } from 'pino';
import { freePort } from '../../../test/support/ports.js';
import { collectDeclaredListeners, DeclaredListenerSet, LISTENERS_EXPORT, type DeclaredListener } from './declared-listeners.js';

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => {
        resolve(body);
      });
    })
      .on('error', reject)
      .end();
  });
}

describe('listeners declared by policies (declared-listeners.ts)', () => {
  const factory = (listener: DeclaredListener): Server => createServer((_req, res) => res.end(listener.name ?? 'unnamed'));

  it('collects the declarations of all chains; the first declaration of a port wins, malformed ones are ignored', () => {
    const chains = [
      { exports: {} },
      { exports: { [LISTENERS_EXPORT]: [{ port: 8081, name: 'first' }, { port: 'x' }, { port: 70000 }] } },
      { exports: { [LISTENERS_EXPORT]: [{ port: 8081, name: 'second' }, { port: 8082 }] } },
    ];
    assert.deepEqual(collectDeclaredListeners(chains), [{ port: 8081, name: 'first' }, { port: 8082 }]);
  });

  it('opens new listeners, reopens changed ones, closes removed ones and leaves already-served ports alone', async () => {
    const [a, b, served] = [await freePort(), await freePort(), await freePort()];
    const set = new DeclaredListenerSet(factory, new Set([served]), pino({ level: 'silent' }));
    try {
      await set.update([
        { port: a, name: 'a' },
        { port: b, name: 'b' },
        { port: served, name: 'main' },
      ]);
      assert.equal(await get(a), 'a');
      assert.equal(await get(b), 'b');
      assert.deepEqual(set.ports.sort(), [a, b].sort(), 'the already-served port is not opened again');
      await set.update([{ port: a, name: 'renamed' }]);
      assert.equal(await get(a), 'renamed');
      await assert.rejects(get(b), /ECONNREFUSED/);
    } finally {
      await set.close();
    }
    await assert.rejects(get(a), /ECONNREFUSED/);
  });

  it('keeps going when a port cannot be opened (a reload must not stop the gateway)', async () => {
    const busy = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => busy.listen(port, resolve));
    const ok = await freePort();
    const set = new DeclaredListenerSet(factory, new Set(), pino({ level: 'silent' }));
    try {
      await set.update([
        { port, name: 'taken' },
        { port: ok, name: 'ok' },
      ]);
      assert.equal(await get(ok), 'ok');
      assert.deepEqual(set.ports, [ok]);
    } finally {
      await set.close();
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});
