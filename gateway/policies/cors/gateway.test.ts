import assert from 'node:assert/strict';
import { request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

describe('cors through the real gateway', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startUpstream();
    gateway = await startGateway(
      serviceConfiguration(
        [
          { name: 'cors', configuration: { allow_origin: '\\.example\\.com$', allow_methods: ['GET', 'POST'], max_age: 60 } },
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

  it('answers a preflight with 204 and CORS headers without credentials or upstream call', async () => {
    const response = await request(`${gateway.url}/anything`, {
      method: 'OPTIONS',
      headers: {
        host: 'localhost',
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'X-Api-Key',
      },
    });
    assert.equal(response.statusCode, 204);
    assert.equal(response.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(response.headers['access-control-allow-methods'], 'GET, POST');
    assert.equal(response.headers['access-control-allow-headers'], 'X-Api-Key');
    assert.equal(response.headers['access-control-allow-credentials'], 'true');
    assert.equal(response.headers['access-control-max-age'], '60');
    await response.body.dump();
    assert.equal(upstream.received.length, 0);
  });

  it('adds the headers to proxied responses and to gateway errors; a non-matching origin gets no Allow-Origin', async () => {
    const ok = await request(`${gateway.url}/x?user_key=k`, { headers: { host: 'localhost', origin: 'https://evil.org' } });
    await ok.body.dump();
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['access-control-allow-origin'], undefined);
    assert.equal(ok.headers['access-control-max-age'], '60');
    const missing = await request(`${gateway.url}/x`, { headers: { host: 'localhost', origin: 'https://a.example.com' } });
    await missing.body.dump();
    assert.equal(missing.statusCode, 401, 'no credentials: apicast denies');
    assert.equal(missing.headers['access-control-allow-origin'], 'https://a.example.com');
  });
});
