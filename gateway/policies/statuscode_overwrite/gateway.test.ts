import assert from 'node:assert/strict';
import { request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

describe('statuscode_overwrite through the real gateway', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startUpstream((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('upstream says no');
    });
    gateway = await startGateway(
      serviceConfiguration(
        [
          { name: 'apicast' },
          {
            name: 'statuscode_overwrite',
            configuration: {
              http_statuses: [
                { upstream: 404, apicast: 410 },
                { upstream: 401, apicast: 418 },
              ],
            },
          },
        ],
        upstream.url,
      ),
    );
  });
  after(async () => {
    await stopAll(gateway);
    await closeAll(upstream);
  });

  it('replaces an upstream status, keeping its body', async () => {
    const response = await request(`${gateway.url}/x?user_key=k`, { headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 410);
    assert.equal(await response.body.text(), 'upstream says no');
  });

  it('also replaces the status of a gateway-generated error', async () => {
    const response = await request(`${gateway.url}/x`, { headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 418);
    assert.equal(await response.body.text(), 'Authentication parameters missing');
  });
});
