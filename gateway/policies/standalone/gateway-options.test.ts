import assert from 'node:assert/strict';
import { request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

/** external[].retries and global.upstream applied by the real gateway (policies.md §6.7). */
describe('standalone retries and global upstream options through the real gateway', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;
  const failuresLeft = new Map<string, number>();

  before(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.url.startsWith('/slow')) {
        setTimeout(() => res.end('late'), 1500);
        return;
      }
      const left = failuresLeft.get(req.url) ?? 0;
      failuresLeft.set(req.url, left - 1);
      res.writeHead(left > 0 ? 503 : 200);
      res.end(left > 0 ? 'unavailable' : 'ok');
    });
    const document = {
      global: { upstream: { read_timeout: 0.3 } },
      routes: [
        { name: 'retried', match: { uri_path: '/retried' }, destination: { upstream: 'with_retries' } },
        { name: 'once', match: { uri_path: '/once' }, destination: { upstream: 'without_retries' } },
        { name: 'slow', match: { uri_path: '/slow' }, destination: { upstream: 'without_retries' } },
      ],
      external: [
        { name: 'with_retries', server: upstream.url, load_balancer: 'round_robin', retries: 2 },
        { name: 'without_retries', server: upstream.url },
      ],
    };
    const url = `data:application/json;base64,${Buffer.from(JSON.stringify(document)).toString('base64')}`;
    gateway = await startGateway(serviceConfiguration([{ name: 'standalone', configuration: { url } }], 'http://127.0.0.1:1'), {
      env: { APICAST_UPSTREAM_RETRY_CASES: 'error timeout http_503' },
    });
  });
  after(async () => {
    await stopAll(gateway);
    await closeAll(upstream);
  });

  async function get(path: string) {
    const response = await request(`${gateway.url}${path}`, { headers: { host: 'localhost' } });
    return { status: response.statusCode, body: await response.body.text() };
  }
  const calls = (path: string) => upstream.received.filter((r) => r.url === path).length;

  it('retries an external with retries until it answers', async () => {
    failuresLeft.set('/retried', 2);
    assert.deepEqual(await get('/retried'), { status: 200, body: 'ok' });
    assert.equal(calls('/retried'), 3);
  });

  it('does not retry an external without retries', async () => {
    failuresLeft.set('/once', 2);
    assert.equal((await get('/once')).status, 503);
    assert.equal(calls('/once'), 1);
  });

  it('applies global.upstream.read_timeout: a slow upstream is a 504 after 0.3 s', async () => {
    const started = performance.now();
    assert.equal((await get('/slow')).status, 504);
    assert.ok(performance.now() - started < 1200, `took ${Math.round(performance.now() - started)} ms`);
  });
});
