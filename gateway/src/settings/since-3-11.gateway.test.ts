/**
 * The APIcast 3.11–3.16 variables against the gateway process: bad values
 * exit naming the variable, removed ones warn once, and each new one changes
 * what it says (docs/gateway-env.md).
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';
import { runGatewayToExit } from '../../test-support/run-to-exit.js';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stopAll } from '../../test-support/teardown.js';

const echoOnly = { services: [{ id: 1, proxy: { hosts: ['localhost'], policy_chain: [{ name: 'echo' }] } }] };

async function get(gateway: RunningGateway, path: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await request(`${gateway.url}${path}`, { headers: { host: 'localhost', ...headers } });
  await response.body.dump();
  return response.statusCode;
}

describe('APIcast 3.11–3.16 environment variables through the gateway process', function () {
  this.timeout(60_000);
  const running: RunningGateway[] = [];
  let upstream: TestUpstream;
  before(async () => {
    upstream = await TestUpstream.start('127.0.0.1', { maxHeaderSize: 64 * 1024 });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((g) => g.stop()));
    upstream.handler = undefined;
  });
  after(async () => {
    await stopAll(upstream);
  });
  const start = async (config: unknown, env: Record<string, string>, https = false) => {
    const gateway = await startGateway(config, { env, https });
    running.push(gateway);
    return gateway;
  };

  it('a bad value exits 1 naming the variable', async () => {
    for (const [name, value] of [
      ['APICAST_LARGE_CLIENT_HEADER_BUFFERS', '12k'],
      ['APICAST_HTTPS_VERIFY_CLIENT', 'sometimes'],
      ['APICAST_LUA_SOCKET_KEEPALIVE_REQUESTS', '0'],
    ] as const) {
      const { code, output } = await runGatewayToExit(echoOnly, { [name]: value });
      assert.notEqual(code, 0, name);
      assert.match(output, new RegExp(`${name}: "${value}"`));
    }
  });

  it('removed variables are accepted, with one deprecation warning each', async () => {
    const gateway = await start(echoOnly, {
      APICAST_LOAD_SERVICES_WHEN_NEEDED: 'true',
      APICAST_MODULE: 'custom',
      APICAST_OAUTH_TOKENS_TTL: '60',
    });
    assert.equal(await get(gateway, '/'), 200);
    for (const name of ['APICAST_LOAD_SERVICES_WHEN_NEEDED', 'APICAST_MODULE', 'APICAST_OAUTH_TOKENS_TTL']) {
      assert.equal(gateway.logs().match(new RegExp(`${name} is deprecated`, 'g'))?.length, 1, name);
    }
  });

  it('APICAST_LARGE_CLIENT_HEADER_BUFFERS: a 10 KB header line is refused (400) with 4 8k, passes with 4 12k', async () => {
    const header = { 'Large-Header': 'ABCDEFGH'.repeat(1280) };
    assert.equal(await get(await start(echoOnly, { APICAST_LARGE_CLIENT_HEADER_BUFFERS: '4 8k' }), '/', header), 400);
    assert.equal(await get(await start(echoOnly, { APICAST_LARGE_CLIENT_HEADER_BUFFERS: '4 12k' }), '/', header), 200);
  });

  it('APICAST_PROXY_BUFFER_SIZE: an upstream response head bigger than it answers 502', async () => {
    upstream.handler = (req, res) => {
      res.writeHead(200, { 'X-Big': req.url?.includes('big') ? 'x'.repeat(6000) : 'small' });
      res.end('ok');
    };
    const gateway = await start(serviceConfiguration([{ name: 'apicast' }], upstream.url), { APICAST_PROXY_BUFFER_SIZE: '4k' });
    assert.equal(await get(gateway, '/small?user_key=k'), 200);
    assert.equal(await get(gateway, '/big?user_key=k'), 502);
  });

  it('APICAST_LUA_SOCKET_KEEPALIVE_REQUESTS: at most that many requests per upstream connection', async () => {
    const ports: number[] = [];
    upstream.handler = (req, res) => {
      ports.push(req.socket.remotePort!);
      res.end('ok');
    };
    const gateway = await start(serviceConfiguration([{ name: 'apicast' }], upstream.url), { APICAST_LUA_SOCKET_KEEPALIVE_REQUESTS: '2' });
    for (let i = 0; i < 6; i++) assert.equal(await get(gateway, `/r${i}?user_key=k`), 200);
    assert.equal(new Set(ports).size, 3, `connections used: ${ports.join(',')}`);
    ports.length = 0;
    const single = await start(serviceConfiguration([{ name: 'apicast' }], upstream.url), { APICAST_LUA_SOCKET_KEEPALIVE_REQUESTS: '1' });
    for (let i = 0; i < 3; i++) assert.equal(await get(single, `/s${i}?user_key=k`), 200);
    assert.equal(new Set(ports).size, 3, `1: a new connection per request (${ports.join(',')})`);
  });

  it('APICAST_HTTPS_VERIFY_CLIENT=off: no client certificate is asked for, so tls_validation sees none', async () => {
    const tls = await tlsMaterial();
    const config = serviceConfiguration(
      [{ name: 'tls_validation', configuration: { whitelist: [{ pem_certificate: tls.ca.cert }] } }, { name: 'echo' }],
      upstream.url,
    );
    const call = async (gateway: RunningGateway) => {
      const agent = new Agent({ connect: { rejectUnauthorized: false, servername: 'localhost', ...tls.client } });
      try {
        const response = await request(`https://127.0.0.1:${gateway.httpsPort}/`, { dispatcher: agent, headers: { host: 'localhost' } });
        await response.body.dump();
        return response.statusCode;
      } finally {
        await agent.close();
      }
    };
    assert.equal(await call(await start(config, {}, true)), 200, 'default optional_no_ca: the certificate is asked for and sent');
    assert.equal(await call(await start(config, { APICAST_HTTPS_VERIFY_CLIENT: 'off' }, true)), 400);
  });

  it('APICAST_POLICY_BATCHER_SHARED_MEMORY_SIZE: the batcher reports as soon as its pending counters reach it', async () => {
    const backend = await FakeBackend.start({
      serviceTokens: { '42': 'token-42' },
      applications: [{ user_key: 'k1' }, { user_key: 'k2' }, { user_key: 'k3' }],
    });
    try {
      const config = serviceConfiguration(
        [{ name: '3scale_batcher', configuration: { batch_report_seconds: 3600 } }, { name: 'apicast' }],
        upstream.url,
        {
          backend: { endpoint: backend.url, host: '127.0.0.1' },
        },
      ) as { services: Record<string, unknown>[] };
      Object.assign(config.services[0], { backend_authentication_type: 'service_token', backend_authentication_value: 'token-42' });
      const gateway = await start(config, { APICAST_POLICY_BATCHER_SHARED_MEMORY_SIZE: '150' });
      for (const key of ['k1', 'k2', 'k3']) assert.equal(await get(gateway, `/?user_key=${key}`), 200);
      await backend.waitForCalls(4); // three authorizations, then the early report
      assert.ok(backend.callsOf('report').length >= 1, 'reported long before batch_report_seconds');
    } finally {
      await backend.stop();
    }
  });

  it('APICAST_ACCESS_LOG_BUFFER: access lines are held until the buffer fills or the 1 s timer, then written', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'access-')), 'access.log');
    const gateway = await start(echoOnly, { APICAST_ACCESS_LOG_FILE: file, APICAST_ACCESS_LOG_BUFFER: '64k' });
    assert.equal(await get(gateway, '/buffered'), 200);
    const deadline = Date.now() + 5000;
    let text = '';
    while (!text.includes('"GET /buffered HTTP/1.1" 200') && Date.now() < deadline) {
      await sleep(100);
      text = await readFile(file, 'utf8').catch(() => '');
    }
    assert.match(text, /"GET \/buffered HTTP\/1\.1" 200/);
    const { code, output } = await runGatewayToExit(echoOnly, { APICAST_ACCESS_LOG_BUFFER: 'lots' });
    assert.notEqual(code, 0);
    assert.match(output, /APICAST_ACCESS_LOG_BUFFER: "lots"/);
  });
});
