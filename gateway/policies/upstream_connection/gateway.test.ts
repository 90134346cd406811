import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';

describe('upstream_connection through the real gateway', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startUpstream(async (_req, res) => {
      await sleep(1500);
      res.end('late');
    });
    gateway = await startGateway(serviceConfiguration([
      { name: 'apicast' },
      { name: 'upstream_connection', configuration: { read_timeout: 0.3 } },
    ], upstream.url));
  });
  after(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  it('answers 504 once the upstream is silent longer than read_timeout', async () => {
    const started = performance.now();
    const response = await request(`${gateway.url}/slow?user_key=k`, { headers: { host: 'localhost' } });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(response.statusCode, 504);
    assert.match(await response.body.text(), /504 Gateway Time-out|504/);
    console.log(`      read_timeout 0.3 s: 504 after ${seconds.toFixed(2)} s`);
    assert.ok(seconds < 1.2, `took ${seconds.toFixed(2)} s, the timeout is 0.3 s`);
  });
});
