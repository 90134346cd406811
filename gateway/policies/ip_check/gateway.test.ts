import assert from 'node:assert/strict';
import { request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

describe('ip_check through the real gateway', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startUpstream();
    gateway = await startGateway(
      serviceConfiguration(
        [
          {
            name: 'ip_check',
            configuration: { check_type: 'blacklist', ips: ['10.0.0.0/8'], client_ip_sources: ['X-Forwarded-For', 'last_caller'] },
          },
          { name: 'apicast' },
        ],
        upstream.url,
      ),
    );
  });
  after(async () => {
    await stopAll(gateway);
    await closeAll(upstream);
  });

  it('denies a blacklisted client with 403 text/plain before any upstream call', async () => {
    const response = await request(`${gateway.url}/x?user_key=k`, { headers: { host: 'localhost', 'x-forwarded-for': '10.9.8.7' } });
    assert.equal(response.statusCode, 403);
    assert.match(String(response.headers['content-type']), /^text\/plain/);
    assert.equal(await response.body.text(), 'IP address not allowed\n');
    assert.equal(upstream.received.length, 0);
  });

  it('lets other clients through (loopback peer)', async () => {
    const response = await request(`${gateway.url}/x?user_key=k`, { headers: { host: 'localhost' } });
    await response.body.dump();
    assert.equal(response.statusCode, 200);
    assert.equal(upstream.received.length, 1);
  });
});
