import assert from 'node:assert/strict';
import { request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

describe('upstream policy through the real gateway', function () {
  let apiBackend: UpstreamServer;
  let other: UpstreamServer;
  let gateway: RunningGateway;

  before(async () => {
    apiBackend = await startUpstream();
    other = await startUpstream();
    gateway = await startGateway(
      serviceConfiguration(
        [{ name: 'upstream', configuration: { rules: [{ regex: '^/other', url: `${other.url}/prefix?from=rule` }] } }, { name: 'apicast' }],
        apiBackend.url,
        { hostname_rewrite: 'rewritten.example' },
      ),
    );
  });
  after(async () => {
    await stopAll(gateway);
    await closeAll(other, apiBackend);
  });

  it('sends matching paths to the rule URL: prefix joined, URL query replaces the client one, Host from the URL', async () => {
    const response = await request(`${gateway.url}/other/a?user_key=k`, { headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 200, await response.body.text());
    const received = other.received.at(-1)!;
    assert.equal(received.url, '/prefix/other/a?from=rule');
    assert.equal(received.headers.host, `127.0.0.1:${other.port}`, 'hostname_rewrite is not applied');
    assert.equal(apiBackend.received.length, 0);
  });

  it('lets apicast proxy to api_backend when no rule matches', async () => {
    const response = await request(`${gateway.url}/plain?user_key=k`, { headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 200, await response.body.text());
    assert.equal(apiBackend.received.at(-1)?.url, '/plain?user_key=k');
    assert.equal(apiBackend.received.at(-1)?.headers.host, 'rewritten.example');
  });
});
