import assert from 'node:assert/strict';
import { startGatewayProcess, type GatewayUnderTest } from '../../test-support/gateway-process.js';
import { send } from '../../test-support/http-client.js';
import { stopAll } from '../../test-support/teardown.js';

describe('echo policy', function () {
  this.timeout(30_000);
  let gateway: GatewayUnderTest;
  const svc = (id: number, host: string, chain: unknown[]) => ({ id, proxy: { hosts: [host], policy_chain: chain } });

  before(async () => {
    gateway = await startGatewayProcess({
      config: {
        services: [
          svc(1, 'echo.test', [{ name: 'echo' }]),
          svc(2, 'status.test', [{ name: 'apicast.policy.echo', configuration: { status: 202 } }]),
          svc(3, 'exit.test', [
            { name: 'echo', configuration: { status: 204, exit: 'request' } },
            { name: 'echo', configuration: { status: 500 } },
          ]),
          svc(4, 'deny.test', [{ name: 'echo', configuration: { status: 403, exit: 'request' } }]),
        ],
      },
    });
  });
  after(() => stopAll(gateway));

  it('answers the request line', async () => {
    const response = await send(gateway.url, '/path?x=1', { host: 'echo.test' });
    assert.equal(response.status, 200);
    assert.equal(response.body, 'GET /path?x=1 HTTP/1.1\n');
  });

  it('answers JSON when Accept is exactly application/json', async () => {
    const response = await send(gateway.url, '/p', { host: 'echo.test', headers: { accept: 'application/json' } });
    assert.equal(response.body, '{"request":"GET /p HTTP/1.1"}\n');
  });

  it('uses the configured status, also under the apicast.policy. prefix', async () => {
    assert.equal((await send(gateway.url, '/', { host: 'status.test' })).status, 202);
  });

  it('exit: request ends in rewrite with the status and no body for 2xx, before later policies', async () => {
    const response = await send(gateway.url, '/', { host: 'exit.test' });
    assert.equal(response.status, 204);
    assert.equal(response.body, '');
  });

  it('exit: request with an error status answers the default error page', async () => {
    const response = await send(gateway.url, '/', { host: 'deny.test' });
    assert.equal(response.status, 403);
    assert.match(response.body, /<title>403 Forbidden<\/title>/);
  });
});
