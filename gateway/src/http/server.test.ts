/**
 * The proxy listener and upstream proxying over real sockets: request limits,
 * malformed requests, healthz, streaming in both directions, upstream
 * failures, HTTPS upstreams and OPENSSL_VERIFY.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest, createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { startGatewayProcess, type GatewayUnderTest } from '../../test-support/gateway-process.js';
import { send } from '../../test-support/http-client.js';
import { freePort } from '../../../test/support/ports.js';
import { stopAll } from '../../test-support/teardown.js';

const TOKEN = 'tok';

/** Sends raw bytes and returns the raw answer (for requests a normal client refuses to send). */
function rawExchange(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (d) => {
      answer += d.toString();
    });
    socket.on('end', () => {
      resolve(answer);
    });
    socket.on('close', () => {
      resolve(answer);
    });
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy());
  });
}

/** A custom policy on APICAST_POLICY_LOAD_PATH that shortens the upstream read timeout. */
async function shortTimeoutPolicyRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'policies-'));
  const dir = join(root, 'short_timeout', '1.0.0');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'apicast-policy.json'),
    JSON.stringify({
      name: 'short timeout',
      summary: 'test policy',
      version: '1.0.0',
      configuration: { type: 'object', properties: { seconds: { type: 'number' } } },
    }),
  );
  await writeFile(
    join(dir, 'index.js'),
    'export default (configuration) => ({ balancer(ctx) { ctx.balancer.readTimeout = configuration.seconds ?? 0.5; } });\n',
  );
  // And one exporting upstream_retries, as the retry policy does.
  const retry = join(root, 'retry_twice', '1.0.0');
  await mkdir(retry, { recursive: true });
  await writeFile(
    join(retry, 'apicast-policy.json'),
    JSON.stringify({ name: 'retry twice', summary: 'test policy', version: '1.0.0', configuration: { type: 'object' } }),
  );
  await writeFile(join(retry, 'index.js'), 'export default () => ({ export() { return { upstream_retries: 2 }; } });\n');
  return root;
}

async function selfSignedCertificate(): Promise<{ key: string; cert: string; certFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return {
    key: await readFile(join(dir, 'key.pem'), 'utf8'),
    cert: await readFile(join(dir, 'cert.pem'), 'utf8'),
    certFile: join(dir, 'cert.pem'),
  };
}

describe('proxy listener and upstream proxying', function () {
  this.timeout(60_000);
  let backend: FakeBackend;
  let upstream: TestUpstream;
  let httpsUpstream: HttpsServer | undefined;
  let httpsPort: number;
  let refusedPort: number;
  let wsUpstream: HttpServer | undefined;
  let wsPort: number;
  const wsSeen: { url: string; headers: Record<string, unknown> }[] = [];
  const wsSockets = new Set<Socket>();
  let gateway: GatewayUnderTest;
  let verifyingGateway: GatewayUnderTest;
  let trustingGateway: GatewayUnderTest;

  const service = (id: number, host: string, apiBackend: string, proxy: Record<string, unknown> = {}) => ({
    id,
    backend_version: '1',
    backend_authentication_type: 'service_token',
    backend_authentication_value: TOKEN,
    proxy: {
      hosts: [host],
      api_backend: apiBackend,
      backend: { endpoint: backend.url },
      proxy_rules: [{ http_method: 'ANY', pattern: '/', metric_system_name: 'hits', delta: 1 }],
      ...proxy,
    },
  });

  before(async () => {
    backend = await FakeBackend.start({
      serviceTokens: Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((id) => [String(id), TOKEN])),
      applications: [{ user_key: 'k' }],
    });
    upstream = await TestUpstream.start();
    const tls = await selfSignedCertificate();
    httpsUpstream = createHttpsServer(tls, (req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`tls ${req.url}`);
    });
    await new Promise<void>((resolve) =>
      httpsUpstream!.listen(0, '127.0.0.1', () => {
        resolve();
      }),
    );
    httpsPort = (httpsUpstream.address() as AddressInfo).port;
    refusedPort = await freePort();
    // An upstream that accepts upgrades and echoes the tunnelled bytes upper-cased.
    wsUpstream = createHttpServer((_req, res) => {
      res.writeHead(426);
      res.end('upgrade required');
    });
    wsUpstream.on('upgrade', (req, socket: Socket) => {
      wsSeen.push({ url: req.url ?? '', headers: req.headers });
      wsSockets.add(socket);
      socket.on('close', () => wsSockets.delete(socket));
      socket.on('end', () => socket.end());
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Up: 1\r\n\r\n');
      socket.on('data', (d: Buffer) => socket.write(d.toString().toUpperCase()));
    });
    await new Promise<void>((resolve) =>
      wsUpstream!.listen(0, '127.0.0.1', () => {
        resolve();
      }),
    );
    wsPort = (wsUpstream.address() as AddressInfo).port;
    const config = {
      services: [
        service(1, 'plain.test', upstream.url),
        service(2, 'prefix.test', `${upstream.url}/api/`),
        service(3, 'refused.test', `http://127.0.0.1:${refusedPort}`),
        service(4, 'slow.test', upstream.url, {
          policy_chain: [{ name: 'short_timeout', version: '1.0.0', configuration: { seconds: 0.5 } }, { name: 'apicast' }],
        }),
        service(5, 'tls.test', `https://localhost:${httpsPort}/`),
        service(6, 'headers.test', upstream.url, { credentials_location: 'headers' }),
        service(8, 'retry.test', upstream.url, { policy_chain: [{ name: 'retry_twice', version: '1.0.0' }, { name: 'apicast' }] }),
        service(7, 'ws.test', `ws://127.0.0.1:${wsPort}/socket`, { policy_chain: [{ name: 'websocket' }, { name: 'apicast' }] }),
      ],
    };
    gateway = await startGatewayProcess({
      config,
      env: { APICAST_POLICY_LOAD_PATH: await shortTimeoutPolicyRoot(), APICAST_UPSTREAM_RETRY_CASES: 'error timeout http_503' },
    });
    verifyingGateway = await startGatewayProcess({
      config: { services: [service(5, 'tls.test', `https://localhost:${httpsPort}/`)] },
      env: { OPENSSL_VERIFY: 'true' },
    });
    trustingGateway = await startGatewayProcess({
      config: { services: [service(5, 'tls.test', `https://localhost:${httpsPort}/`)] },
      env: { OPENSSL_VERIFY: 'true', SSL_CERT_FILE: tls.certFile },
    });
  });

  after(async () => {
    await stopAll(gateway, verifyingGateway, trustingGateway, upstream, backend);
    await new Promise((resolve) => httpsUpstream?.close(resolve));
    wsUpstream?.closeAllConnections();
    for (const socket of wsSockets) socket.destroy();
    await new Promise((resolve) => wsUpstream?.close(resolve));
  });

  /** Sends an upgrade request; resolves with the status and, on 101, an echo of `message` through the tunnel. */
  function upgrade(query: string): Promise<{ status: number; echoed?: string; headers: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({
        port: gateway.port,
        host: '127.0.0.1',
        path: `/chat${query}`,
        headers: {
          host: 'ws.test',
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'sec-websocket-version': '13',
        },
      });
      req.on('upgrade', (res, socket: Socket) => {
        socket.once('data', (d: Buffer) => {
          socket.destroy();
          resolve({ status: res.statusCode ?? 0, echoed: d.toString(), headers: res.headers });
        });
        socket.write('hello tunnel');
      });
      req.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, headers: res.headers });
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('tunnels an authorized websocket upgrade (websocket policy) and refuses an unauthorized one', async () => {
    const ok = await upgrade('?user_key=k');
    assert.equal(ok.status, 101);
    assert.equal(ok.echoed, 'HELLO TUNNEL');
    assert.equal(ok.headers['x-up'], '1');
    assert.equal(wsSeen.at(-1)!.url, '/socket/chat?user_key=k');
    assert.equal(wsSeen.at(-1)!.headers.upgrade, 'websocket');
    for (let i = 0; i < 50 && wsSockets.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(wsSockets.size, 0, 'closing the client side closes the upstream side of the tunnel');
    const denied = await upgrade('');
    assert.equal(denied.status, 401);
  });

  beforeEach(() => {
    upstream.handler = undefined;
    upstream.streamingHandler = undefined;
    upstream.requests.length = 0;
  });

  it('answers /_threescale/healthz 200 with an empty body for any host, without policies or backend calls', async () => {
    backend.reset();
    const response = await send(gateway.url, '/_threescale/healthz', { host: 'nobody.test' });
    assert.equal(response.status, 200);
    assert.equal(response.body, '');
    assert.equal(backend.calls.length, 0);
  });

  it('answers 414 to a request line over 8 KiB and 431 to headers over 32 KiB', async () => {
    const longLine = await send(gateway.url, `/?user_key=k&pad=${'a'.repeat(9000)}`, { host: 'plain.test' });
    assert.equal(longLine.status, 414);
    const bigHeaders: Record<string, string> = {};
    for (let i = 0; i < 5; i++) bigHeaders[`x-pad-${i}`] = 'b'.repeat(7000);
    const big = await send(gateway.url, '/?user_key=k', { host: 'plain.test', headers: bigHeaders });
    assert.equal(big.status, 431);
    const tooBig = await rawExchange(
      gateway.port,
      `GET /?user_key=k HTTP/1.1\r\nHost: plain.test\r\nX-Huge: ${'c'.repeat(60_000)}\r\n\r\n`,
    );
    assert.match(tooBig, /^HTTP\/1\.1 431 /);
    const tooLong = await rawExchange(gateway.port, `GET /${'d'.repeat(50_000)} HTTP/1.1\r\nHost: plain.test\r\n\r\n`);
    assert.match(tooLong, /^HTTP\/1\.1 414 /);
    assert.equal(upstream.requests.length, 0);
  });

  it('answers 400 to a malformed request and keeps serving', async () => {
    const answer = await rawExchange(gateway.port, 'THIS IS NOT HTTP\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.equal((await send(gateway.url, '/?user_key=k', { host: 'plain.test' })).status, 200);
  });

  it('accepts underscores in header names (user_key as a header)', async () => {
    const answer = await rawExchange(gateway.port, 'GET /x HTTP/1.1\r\nHost: headers.test\r\nuser_key: k\r\nConnection: close\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 200 /);
  });

  it('forwards the client target byte for byte when api_backend has no path', async () => {
    await send(gateway.url, '/a//b/%7e?b=2&user_key=k&b=3', { host: 'plain.test' });
    assert.equal(upstream.last!.url, '/a//b/%7e?b=2&user_key=k&b=3');
  });

  it('joins the api_backend path with the normalized, re-escaped request path', async () => {
    await send(gateway.url, '/foo%20/bar/?user_key=k', { host: 'prefix.test' });
    assert.equal(upstream.last!.url, '/api/foo%20/bar/?user_key=k');
    await send(gateway.url, '/?user_key=k', { host: 'prefix.test' });
    assert.equal(upstream.last!.url, '/api/?user_key=k');
  });

  it('relays upstream error statuses, headers and bodies unchanged', async () => {
    upstream.handler = (_req, res) => {
      res.writeHead(503, { 'Content-Type': 'application/problem+json', 'X-Custom': 'a' });
      res.end('{"down":true}');
    };
    const response = await send(gateway.url, '/?user_key=k', { host: 'plain.test' });
    assert.equal(response.status, 503);
    assert.equal(response.headers['content-type'], 'application/problem+json');
    assert.equal(response.headers['x-custom'], 'a');
    assert.equal(response.body, '{"down":true}');
  });

  it('streams the request body to the upstream before the client finished sending it', async () => {
    let firstChunkSeen!: () => void;
    const firstChunk = new Promise<void>((resolve) => {
      firstChunkSeen = resolve;
    });
    const received: Buffer[] = [];
    upstream.streamingHandler = (req, res) => {
      req.on('data', (chunk: Buffer) => {
        received.push(chunk);
        firstChunkSeen();
      });
      req.on('end', () => {
        res.writeHead(200);
        res.end(`got ${Buffer.concat(received).length}`);
      });
    };
    const answer = new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        {
          port: gateway.port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/upload?user_key=k',
          headers: { host: 'plain.test', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => {
            text += d.toString();
          });
          res.on('end', () => {
            resolve(text);
          });
        },
      );
      req.on('error', reject);
      req.write(Buffer.alloc(64 * 1024, 1));
      // The rest is only sent once the upstream has seen the beginning: proof that nothing waits for the whole body.
      firstChunk.then(() => {
        req.write(Buffer.alloc(64 * 1024, 2));
        req.end();
      }, reject);
    });
    assert.equal(await answer, `got ${128 * 1024}`);
  });

  it('streams the response body to the client before the upstream finished it', async () => {
    let releaseRest!: () => void;
    const rest = new Promise<void>((resolve) => {
      releaseRest = resolve;
    });
    upstream.handler = async (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.write('first-part;');
      await rest;
      res.end('second-part');
    };
    const text = await new Promise<string>((resolve, reject) => {
      httpRequest({ port: gateway.port, host: '127.0.0.1', path: '/download?user_key=k', headers: { host: 'plain.test' } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString();
          if (body === 'first-part;') releaseRest();
        });
        res.on('end', () => {
          resolve(body);
        });
      })
        .on('error', reject)
        .end();
    });
    assert.equal(text, 'first-part;second-part');
  });

  it('carries a 32 MiB body both ways intact', async () => {
    const payload = Buffer.alloc(32 * 1024 * 1024);
    for (let i = 0; i < payload.length; i += 4096) payload.writeUInt32BE(i, i);
    upstream.handler = (_req, res, body) => {
      res.writeHead(200);
      res.end(body);
    };
    const response = await send(gateway.url, '/big?user_key=k', { host: 'plain.test', method: 'PUT', body: payload });
    assert.equal(response.status, 200);
    const digest = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
    assert.equal(digest(upstream.last!.body), digest(payload));
    assert.equal(digest(response.raw), digest(payload));
  });

  it('aborts the upstream request when the client goes away, and logs 499', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    upstream.streamingHandler = (req) => {
      req.socket.on('close', () => {
        upstreamClosed();
      });
    };
    const req = httpRequest({ port: gateway.port, host: '127.0.0.1', path: '/hang?user_key=k&abort=1', headers: { host: 'plain.test' } });
    req.on('error', () => undefined);
    req.end();
    await new Promise((resolve) => setTimeout(resolve, 300));
    req.destroy();
    await Promise.race([
      closed,
      new Promise((_, reject) =>
        setTimeout(() => {
          reject(new Error('upstream connection still open'));
        }, 3000),
      ),
    ]);
    for (let i = 0; i < 50 && !/"GET \/hang\?user_key=\*\*\*&abort=1 HTTP\/1\.1" 499/.test(gateway.process.logs()); i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.match(gateway.process.logs(), /"GET \/hang\?user_key=\*\*\*&abort=1 HTTP\/1\.1" 499/);
  });

  it('relays HEAD answers without a body and 204s as they are', async () => {
    upstream.handler = (req, res) => {
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'Content-Length': '1234', 'X-Head': 'yes' });
        res.end();
        return;
      }
      res.writeHead(204, { 'X-Empty': 'yes' });
      res.end();
    };
    const head = await send(gateway.url, '/?user_key=k', { host: 'plain.test', method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '1234');
    assert.equal(head.body, '');
    const empty = await send(gateway.url, '/?user_key=k', { host: 'plain.test', method: 'DELETE' });
    assert.equal(empty.status, 204);
    assert.equal(empty.headers['x-empty'], 'yes');
  });

  it('retries per APICAST_UPSTREAM_RETRY_CASES when a policy exports upstream_retries', async () => {
    let calls = 0;
    upstream.handler = (_req, res, body) => {
      calls++;
      if (calls < 3) {
        res.writeHead(503);
        res.end('busy');
        return;
      }
      res.writeHead(200);
      res.end(`third try, body ${body.toString()}`);
    };
    const response = await send(gateway.url, '/r?user_key=k', { host: 'retry.test', method: 'POST', body: 'replayed' });
    assert.equal(response.status, 200);
    assert.equal(response.body, 'third try, body replayed');
    assert.equal(calls, 3);
    calls = -10; // always 503 now: after 2 retries the last 503 is relayed
    const exhausted = await send(gateway.url, '/r?user_key=k', { host: 'retry.test' });
    assert.equal(exhausted.status, 503);
    assert.equal(exhausted.body, 'busy');
    const plain = await send(gateway.url, '/?user_key=k', { host: 'plain.test' });
    assert.equal(plain.status, 503, 'without upstream_retries a 503 is relayed at once');
  });

  it('maps a refused upstream connection to 502 with a stable body', async () => {
    const first = await send(gateway.url, '/?user_key=k', { host: 'refused.test' });
    const second = await send(gateway.url, '/?user_key=k', { host: 'refused.test' });
    assert.equal(first.status, 502);
    assert.match(first.body, /<title>502 Bad Gateway<\/title>/);
    assert.equal(second.body, first.body);
  });

  it('maps an upstream timeout (set by a custom policy in the balancer phase) to 504', async () => {
    upstream.handler = (_req, res) => {
      setTimeout(() => {
        res.writeHead(200);
        res.end('late');
      }, 2000);
    };
    const started = Date.now();
    const response = await send(gateway.url, '/?user_key=k', { host: 'slow.test' });
    assert.equal(response.status, 504);
    assert.match(response.body, /504 Gateway Timeout/);
    assert.ok(Date.now() - started < 1800, 'the read timeout of the policy applied');
  });

  it('proxies to an HTTPS upstream without verification by default, refuses an untrusted one with OPENSSL_VERIFY, trusts it through SSL_CERT_FILE', async () => {
    const plain = await send(gateway.url, '/secure?user_key=k', { host: 'tls.test' });
    assert.equal(plain.status, 200);
    assert.equal(plain.body, 'tls /secure?user_key=k');
    const verified = await send(verifyingGateway.url, '/secure?user_key=k', { host: 'tls.test' });
    assert.equal(verified.status, 502);
    const trusted = await send(trustingGateway.url, '/secure?user_key=k', { host: 'tls.test' });
    assert.equal(trusted.status, 200, 'SSL_CERT_FILE makes the upstream certificate trusted');
  });
});
