import assert from 'node:assert/strict';
import { request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll } from '../../test-support/teardown.js';

describe('retry through the real gateway', function () {
  let upstream: UpstreamServer;
  const gateways: RunningGateway[] = [];
  let failuresLeft = 0;

  before(async () => {
    upstream = await startUpstream((_req, res) => {
      if (failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(503, { 'Content-Type': 'text/plain' });
        res.end('busy');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('finally');
    });
  });
  after(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await closeAll(upstream);
  });

  async function gatewayWith(chain: unknown[]): Promise<RunningGateway> {
    const gateway = await startGateway(serviceConfiguration(chain, upstream.url), { env: { APICAST_UPSTREAM_RETRY_CASES: 'http_503' } });
    gateways.push(gateway);
    return gateway;
  }

  it('retries up to `retries` more times and returns the first good answer', async () => {
    const gateway = await gatewayWith([{ name: 'retry', configuration: { retries: 2 } }, { name: 'apicast' }]);
    failuresLeft = 2;
    const before = upstream.received.length;
    const response = await request(`${gateway.url}/x?user_key=k`, { headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 200);
    assert.equal(await response.body.text(), 'finally');
    assert.equal(upstream.received.length - before, 3);
  });

  it('returns the upstream failure itself when the last attempt still fails', async () => {
    const gateway = await gatewayWith([{ name: 'apicast' }, { name: 'retry', configuration: { retries: 1 } }]);
    failuresLeft = 5;
    const before = upstream.received.length;
    const response = await request(`${gateway.url}/x?user_key=k`, { headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 503);
    assert.equal(await response.body.text(), 'busy');
    assert.equal(upstream.received.length - before, 2);
  });

  it('never retries without the policy, whatever APICAST_UPSTREAM_RETRY_CASES says', async () => {
    const gateway = await gatewayWith([{ name: 'apicast' }]);
    failuresLeft = 1;
    const before = upstream.received.length;
    const response = await request(`${gateway.url}/x?user_key=k`, { headers: { host: 'localhost' } });
    await response.body.dump();
    assert.equal(response.statusCode, 503);
    assert.equal(upstream.received.length - before, 1);
  });
});
