import assert from 'node:assert/strict';
import { request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

describe('payload_limits through the real gateway', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startUpstream((req, res) => {
      const body = req.url.startsWith('/big') ? 'x'.repeat(100) : 'small';
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
      res.end(body);
    });
    gateway = await startGateway(
      serviceConfiguration([{ name: 'payload_limits', configuration: { request: 10, response: 50 } }, { name: 'apicast' }], upstream.url, {
        proxy_rules: [{ http_method: 'ANY', pattern: '/', metric_system_name: 'hits', delta: 1 }],
      }),
    );
  });
  after(async () => {
    await stopAll(gateway);
    await closeAll(upstream);
  });

  it('rejects a request body over the limit with 413 and never calls the upstream', async () => {
    const response = await request(`${gateway.url}/x?user_key=k`, { method: 'POST', body: 'y'.repeat(11), headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 413);
    assert.equal(await response.body.text(), 'Payload Too Large\n');
    assert.equal(upstream.received.length, 0);
  });

  it('replaces an oversized upstream response by exactly "Payload Too Large", keeping Content-Type', async () => {
    const response = await request(`${gateway.url}/big?user_key=k`, { headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 413);
    assert.equal(response.headers['content-type'], 'application/json');
    const body = await response.body.text();
    assert.equal(body, 'Payload Too Large');
    if (response.headers['content-length'] !== undefined) assert.equal(response.headers['content-length'], '17');
  });

  it('passes bodies within the limits', async () => {
    const response = await request(`${gateway.url}/ok?user_key=k`, { method: 'POST', body: 'tiny', headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 200);
    assert.equal(await response.body.text(), 'small');
  });
});
