import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { request as httpRequest } from 'node:http';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

describe('upstream_connection through the real gateway', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startUpstream(async (_req, res) => {
      await sleep(1500);
      res.end('late');
    });
    gateway = await startGateway(
      serviceConfiguration([{ name: 'apicast' }, { name: 'upstream_connection', configuration: { read_timeout: 0.3 } }], upstream.url),
    );
  });
  after(async () => {
    await stopAll(gateway);
    await closeAll(upstream);
  });

  it('answers 504 once the upstream is silent longer than read_timeout', async () => {
    const started = performance.now();
    const response = await request(`${gateway.url}/slow?user_key=k`, { headers: { host: 'localhost' } });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(response.statusCode, 504);
    assert.match(await response.body.text(), /504 Gateway Time-out|504/);
    console.log(`      read_timeout 0.3 s: 504 after ${seconds.toFixed(2)} s`);
    assert.ok(seconds < 0.8, `took ${seconds.toFixed(2)} s, the timeout is 0.3 s (sub-second timers)`);
  });
});

describe('upstream_connection send_timeout and read_timeout between body chunks (real gateway)', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startUpstream(async (req, res) => {
      if (req.url.startsWith('/gap')) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('first ');
        await sleep(1500);
        res.end('late');
        return;
      }
      res.end(`got ${req.body.length}`);
    });
    gateway = await startGateway(
      serviceConfiguration(
        [{ name: 'apicast' }, { name: 'upstream_connection', configuration: { send_timeout: 0.3, read_timeout: 0.3 } }],
        upstream.url,
        { proxy_rules: [{ http_method: 'ANY', pattern: '/', metric_system_name: 'hits', delta: 1 }] },
      ),
    );
  });
  after(async () => {
    await stopAll(gateway);
    await closeAll(upstream);
  });

  it('answers 504 when sending the request body to the upstream pauses longer than send_timeout', async () => {
    const started = performance.now();
    const { status } = await new Promise<{ status: number }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: gateway.port,
          method: 'POST',
          path: '/upload?user_key=k',
          headers: { host: 'localhost', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0 });
          });
        },
      );
      req.on('error', reject);
      req.write('first part '); // then the body stalls for longer than send_timeout
      setTimeout(() => req.end('rest'), 1500).unref();
    });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(status, 504);
    assert.ok(seconds < 1.2, `took ${seconds.toFixed(2)} s, send_timeout is 0.3 s`);
    assert.equal(upstream.received.length, 0, 'the upstream never got a whole request');
  });

  it('a body sent without pauses is not affected', async () => {
    const response = await request(`${gateway.url}/upload?user_key=k`, {
      method: 'POST',
      body: 'x'.repeat(100_000),
      headers: { host: 'localhost' },
    });
    assert.equal(response.statusCode, 200);
    assert.equal(await response.body.text(), 'got 100000');
  });

  it('cuts the response when the upstream pauses mid-body longer than read_timeout', async () => {
    const started = performance.now();
    const response = await request(`${gateway.url}/gap?user_key=k`, { headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 200);
    await assert.rejects(response.body.text(), 'the client sees a truncated body, not the late part');
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds < 1.2, `cut after ${seconds.toFixed(2)} s, read_timeout is 0.3 s`);
  });
});
