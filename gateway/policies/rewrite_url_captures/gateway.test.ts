import assert from 'node:assert/strict';
import { request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

describe('rewrite_url_captures through the real gateway', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startUpstream();
    gateway = await startGateway(
      serviceConfiguration(
        [
          {
            name: 'rewrite_url_captures',
            configuration: {
              transformations: [{ match_rule: '/{orderId}/{accountId}', template: '/sales/v2/{orderId}?account={accountId}' }],
            },
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

  it('sends the captured segments to the upstream path and query (spec example)', async () => {
    const response = await request(`${gateway.url}/123/456?x=1&user_key=k`, { headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 200, await response.body.text());
    assert.equal(upstream.received.at(-1)?.url, '/sales/v2/123?x=1&user_key=k&account=456');
  });
});
