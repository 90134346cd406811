import assert from 'node:assert/strict';
import { request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

describe('standalone (internal policy) through the real gateway', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startUpstream();
    const document = {
      routes: [
        { name: 'teapot', match: { uri_path: '/tea' }, destination: { http_response: { status: 418, body: 'short and stout' } } },
        { name: 'api', match: { uri_path: '/api', http_method: 'GET' }, destination: { service: 'with_headers' } },
      ],
      internal: [
        {
          name: 'with_headers',
          upstream: 'backend',
          policy_chain: [{ policy: 'url_rewriting', configuration: { commands: [{ op: 'sub', regex: '^/api', replace: '/v2' }] } }],
        },
      ],
      external: [{ name: 'backend', server: upstream.url }],
    };
    const url = `data:application/json;base64,${Buffer.from(JSON.stringify(document)).toString('base64')}`;
    gateway = await startGateway(serviceConfiguration([{ name: 'standalone', configuration: { url } }], 'http://127.0.0.1:1'));
  });
  after(async () => {
    await stopAll(gateway);
    await closeAll(upstream);
  });

  async function get(path: string, method = 'GET') {
    const response = await request(`${gateway.url}${path}`, { method, headers: { host: 'localhost' } });
    return { status: response.statusCode, body: await response.body.text() };
  }

  it('answers an http_response route without any upstream', async () => {
    assert.deepEqual(await get('/tea'), { status: 418, body: 'short and stout' });
  });

  it('runs the internal service chain and proxies to its external upstream', async () => {
    const result = await get('/api/items?x=1');
    assert.equal(result.status, 200, result.body);
    assert.equal(upstream.received.at(-1)?.url, '/v2/items?x=1');
  });

  it('answers unmatched requests with the not_found echo (404)', async () => {
    assert.deepEqual(await get('/api/items', 'DELETE'), { status: 404, body: 'DELETE /api/items HTTP/1.1\n' });
  });
});
