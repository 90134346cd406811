import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { InMemoryConfigurationStore } from '../config/store.js';
import { silentLogger } from '../logging/logger.js';
import { send } from '../../test-support/http-client.js';
import { ManagementRouter } from './router.js';
import { createManagementServer } from './server.js';
import { registerStatusRoutes } from './status-routes.js';
import type { CompiledService } from '../config/compiled.js';

describe('management status routes', () => {
  let server: Server;
  let url: string;
  const store = new InMemoryConfigurationStore();

  before(async () => {
    const router = new ManagementRouter('status');
    registerStatusRoutes(router, { configuration: store });
    server = createManagementServer(router, silentLogger());
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

  it('answers 412 before a configuration is loaded, then 200 "no services", then ready', async () => {
    const before = await send(url, '/status/ready');
    assert.equal(before.status, 412);
    assert.deepEqual(JSON.parse(before.body), { status: 'error', error: 'not configured', success: false });
    assert.equal(before.headers['content-type'], 'application/json; charset=utf-8');
    assert.ok(before.body.endsWith('\n'));
    store.store({ services: [], raw: {}, timestamp: undefined });
    assert.equal((JSON.parse((await send(url, '/status/ready')).body) as { warning?: string }).warning, 'no services');
    store.store({ services: [{ id: '1', hosts: ['a'] } as unknown as CompiledService], raw: {}, timestamp: undefined });
    assert.deepEqual(JSON.parse((await send(url, '/status/ready')).body), { status: 'ready', success: true });
    store.reset();
    assert.equal((await send(url, '/status/ready')).status, 412);
  });

  it('hides routes absent from the current mode', () => {
    const router = new ManagementRouter('disabled');
    registerStatusRoutes(router, { configuration: store });
    assert.equal(router.resolve('GET', '/status/live'), undefined);
    assert.ok(new ManagementRouter('debug').resolve('GET', '/status/live') === undefined);
  });
});
