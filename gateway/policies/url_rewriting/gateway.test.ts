import assert from 'node:assert/strict';
import { request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';

describe('url_rewriting through the real gateway', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startUpstream();
    gateway = await startGateway(serviceConfiguration([
      {
        name: 'url_rewriting',
        configuration: {
          commands: [{ op: 'gsub', regex: '^/old/', replace: '/new/' }],
          query_args_commands: [
            { op: 'push', arg: 'next', value: '/v1/x' },
            { op: 'set', arg: 'path', value: '{{ uri }}', value_type: 'liquid' },
          ],
        },
      },
      { name: 'apicast' },
    ], upstream.url));
  });
  after(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  it('the upstream receives the rewritten path and the re-serialized query', async () => {
    const response = await request(`${gateway.url}/old/items?user_key=k`, { headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 200, await response.body.text());
    assert.equal(upstream.received.at(-1)?.url, '/new/items?user_key=k&next=%2Fv1%2Fx&path=%2Fnew%2Fitems');
  });
});
