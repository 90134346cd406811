import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { send } from '../../test-support/http-client.js';
import { createEchoServer } from './server.js';

describe('built-in echo / fake backend server', () => {
  let server: Server;
  let url: string;
  before(async () => {
    server = createEchoServer();
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', () => {
        resolve();
      }),
    );
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(
    () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  );

  it('echoes the request line, headers and body', async () => {
    const response = await send(url, '/hello?a=1', { method: 'POST', body: 'payload', headers: { 'x-one': '1' } });
    assert.equal(response.status, 200);
    assert.match(response.body, /^POST \/hello\?a=1 HTTP\/1\.1\n/);
    assert.match(response.body, /\nx-one: 1\n/);
    assert.ok(response.body.endsWith('\npayload'));
  });

  it('authorizes every authrep (the default backend of services without one)', async () => {
    assert.equal((await send(url, '/transactions/authrep.xml?service_id=1&user_key=x')).status, 200);
    const asBackend = await send(url, '/transactions/authrep.xml', { host: 'backend' });
    assert.equal(asBackend.body, 'transactions authrep!');
  });

  it('delays with ?delay= and answers {} under /config/', async () => {
    const started = Date.now();
    await send(url, '/?delay=0.3');
    assert.ok(Date.now() - started >= 280);
    assert.equal((await send(url, '/config/production.json')).body, '{}');
  });
});
