/**
 * The gateway's network edges (gateway.md §0, §1.7, §1.8): the HTTPS
 * listener with configured or bundled certificates, and outgoing traffic
 * (upstream, backend, portal) through HTTP_PROXY unless NO_PROXY says not.
 */
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { connect as tlsConnect } from 'node:tls';
import { Agent, request } from 'undici';
import { freePort } from '../../../test/support/ports.js';
import { startFakePortal } from '../../test-support/fake-portal.js';
import { startForwardProxy, type ForwardProxy } from '../../test-support/forward-proxy.js';
import { send } from '../../test-support/http-client.js';
import { startOpsGateway, type OpsGateway } from '../../test-support/ops-gateway.js';
import { selfSignedCertificate } from '../../test-support/tls-certificates.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { startFakeDns } from '../../test-support/fake-dns.js';

const service = (id: number, host: string, upstream: string) => ({
  id,
  proxy: {
    hosts: [host],
    api_backend: upstream,
    proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
  },
});

function http2Get(port: number, authority: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const client = http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false, servername: authority });
    client.on('error', reject);
    const stream = client.request({ ':path': path, ':authority': authority });
    let status = 0;
    let body = '';
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    stream.on('end', () => {
      client.close();
      resolve({ status, body });
    });
    stream.on('error', reject);
    stream.end();
  });
}

function peerCommonName(port: number, servername = 'tls.example.com'): Promise<{ cn: string; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, servername }, () => {
      const cn = String(socket.getPeerCertificate().subject.CN ?? '');
      const protocol = socket.getProtocol();
      socket.end();
      resolve({ cn, protocol });
    });
    socket.on('error', reject);
  });
}

describe('gateway network edges (HTTPS listener, outbound proxies)', function () {
  this.timeout(60_000);
  let upstream: TestUpstream;
  let proxy: ForwardProxy;
  let gateway: OpsGateway | undefined;
  beforeEach(async () => {
    upstream = await TestUpstream.start();
    proxy = await startForwardProxy();
  });
  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
    await upstream.stop();
    await proxy.stop();
  });

  it('APICAST_HTTPS_PORT serves the same traffic over TLS with APICAST_HTTPS_CERTIFICATE, or the bundled certificate', async () => {
    const certificate = await selfSignedCertificate('tls.example.com');
    const httpsPort = await freePort();
    gateway = await startOpsGateway({
      config: { services: [service(1, 'tls.example.com', upstream.url)] },
      env: {
        APICAST_HTTPS_PORT: String(httpsPort),
        APICAST_HTTPS_CERTIFICATE: certificate.certFile,
        APICAST_HTTPS_CERTIFICATE_KEY: certificate.keyFile,
      },
    });
    const agent = new Agent({ connect: { rejectUnauthorized: false } });
    try {
      const response = await request(`https://127.0.0.1:${httpsPort}/secure?user_key=k`, {
        headers: { host: 'tls.example.com' },
        dispatcher: agent,
      });
      assert.equal(response.statusCode, 200);
      await response.body.dump();
      assert.equal(upstream.last?.url, '/secure?user_key=k');
      const peer = await peerCommonName(httpsPort);
      assert.equal(peer.cn, 'tls.example.com');
      assert.match(String(peer.protocol), /^TLSv1\.[23]$/);
      assert.equal((await send(gateway.url, '/?user_key=k', { host: 'tls.example.com' })).status, 200, 'plain HTTP still served');
      const h2 = await http2Get(httpsPort, 'tls.example.com', '/over-h2?user_key=k');
      assert.equal(h2.status, 200, 'HTTP/2 negotiated by ALPN is served too');
      assert.equal(upstream.last.url, '/over-h2?user_key=k');
      assert.equal(upstream.last.headers.host, `127.0.0.1:${upstream.port}`);
      assert.equal(upstream.last.headers['x-real-ip'], '127.0.0.1', 'the client address is known over HTTP/2 too');
    } finally {
      await agent.close();
    }
    await gateway.stop();

    // Same port for both: HTTPS only, with the bundled certificate.
    const samePort = await freePort();
    gateway = await startOpsGateway({
      config: { services: [service(1, 'tls.example.com', upstream.url)] },
      env: { APICAST_HTTPS_PORT: String(samePort), APICAST_HTTP_PORT: String(samePort) },
    });
    assert.equal((await peerCommonName(samePort)).cn, 'apicast', 'the bundled self-signed certificate');
    const insecure = new Agent({ connect: { rejectUnauthorized: false } });
    try {
      const response = await request(`https://127.0.0.1:${samePort}/?user_key=k`, {
        headers: { host: 'tls.example.com' },
        dispatcher: insecure,
      });
      assert.equal(response.statusCode, 200);
      await response.body.dump();
    } finally {
      await insecure.close();
    }
    await assert.rejects(
      send(`http://127.0.0.1:${samePort}`, '/?user_key=k', { host: 'tls.example.com' }),
      'plain HTTP is not served on an HTTPS-only port',
    );
  });

  it('a service with the tls policy gets its own certificate by SNI; other names keep the default one', async () => {
    const listenerCertificate = await selfSignedCertificate('default.example.com');
    const serviceCertificate = await selfSignedCertificate('own.example.com');
    const httpsPort = await freePort();
    const withTls = {
      id: 2,
      proxy: {
        hosts: ['own.example.com'],
        api_backend: upstream.url,
        policy_chain: [
          {
            name: 'tls',
            configuration: {
              certificates: [{ certificate_path: serviceCertificate.certFile, certificate_key_path: serviceCertificate.keyFile }],
            },
          },
          { name: 'apicast' },
        ],
        proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
      },
    };
    gateway = await startOpsGateway({
      config: { services: [withTls, service(3, 'plain.example.com', upstream.url)] },
      env: {
        APICAST_HTTPS_PORT: String(httpsPort),
        APICAST_HTTPS_CERTIFICATE: listenerCertificate.certFile,
        APICAST_HTTPS_CERTIFICATE_KEY: listenerCertificate.keyFile,
      },
    });
    assert.equal((await peerCommonName(httpsPort, 'own.example.com')).cn, 'own.example.com');
    assert.equal((await peerCommonName(httpsPort, 'plain.example.com')).cn, 'default.example.com');
    assert.equal((await peerCommonName(httpsPort, 'unknown.example.com')).cn, 'default.example.com');
    const h2 = await http2Get(httpsPort, 'own.example.com', '/sni?user_key=k');
    assert.equal(h2.status, 200);
  });

  it('SIGQUIT drains HTTP/2 sessions too: the stream in flight finishes, then the gateway exits 0', async () => {
    upstream.handler = (_req, res) => {
      setTimeout(() => {
        res.writeHead(200);
        res.end('slow over h2');
      }, 1200);
    };
    const httpsPort = await freePort();
    gateway = await startOpsGateway({
      config: { services: [service(1, 'tls.example.com', upstream.url)] },
      env: { APICAST_HTTPS_PORT: String(httpsPort) },
    });
    const inFlight = http2Get(httpsPort, 'tls.example.com', '/slow?user_key=k');
    await new Promise((resolve) => setTimeout(resolve, 400));
    gateway.process.signal('SIGQUIT');
    assert.deepEqual(await inFlight, { status: 200, body: 'slow over h2' });
    await gateway.process.waitForExit();
    assert.equal(gateway.process.describeExit(), 'exited with code 0');
  });

  it('HTTP_PROXY carries upstream, backend and portal traffic; NO_PROXY bypasses it', async () => {
    const portal = await startFakePortal();
    portal.publish(service(5, 'proxied.example.com', upstream.url));
    try {
      gateway = await startOpsGateway({ env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint(), HTTP_PROXY: proxy.url } });
      const answer = await send(gateway.url, '/via?user_key=k', { host: 'proxied.example.com' });
      assert.equal(answer.status, 200);
      assert.equal(upstream.last?.headers['x-forwarded-by-test-proxy'], '1', 'the upstream request came through the proxy');
      const targets = proxy.requests.map((r) => r.target);
      assert.ok(
        targets.some((t) => t.startsWith(`http://127.0.0.1:${portal.port}/admin/api/account/proxy_configs/production.json?`)),
        `portal download proxied: ${targets.join(' ')}`,
      );
      assert.ok(targets.includes(`${upstream.url}/via?user_key=k`), 'upstream request proxied as an absolute URI');
      assert.ok(
        targets.some((t) => t.includes('/transactions/authrep.xml')),
        'backend authrep proxied',
      );
      await gateway.stop();

      proxy.requests.length = 0;
      gateway = await startOpsGateway({
        env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint(), HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' },
      });
      assert.equal((await send(gateway.url, '/direct?user_key=k', { host: 'proxied.example.com' })).status, 200);
      assert.deepEqual(proxy.requests, [], 'NO_PROXY: nothing went through the proxy');
    } finally {
      await portal.stop();
    }
  });

  it('NO_PROXY domain suffixes (.internal.test, internal.test) keep matching hosts direct; other names still go through HTTP_PROXY', async () => {
    const dns = await startFakeDns();
    for (const name of ['api.internal.test', 'internal.test', 'api.elsewhere.test']) dns.set(name, ['127.0.0.1']);
    const port = new URL(upstream.url).port;
    try {
      for (const noProxy of ['.internal.test', 'internal.test']) {
        proxy.requests.length = 0;
        gateway = await startOpsGateway({
          config: {
            services: [
              service(1, 'in.example.com', `http://api.internal.test:${port}`),
              service(2, 'bare.example.com', `http://internal.test:${port}`),
              service(3, 'out.example.com', `http://api.elsewhere.test:${port}`),
            ],
          },
          env: { RESOLVER: dns.address, HTTP_PROXY: proxy.url, NO_PROXY: noProxy },
        });
        assert.equal((await send(gateway.url, '/in?user_key=k', { host: 'in.example.com' })).status, 200);
        assert.equal((await send(gateway.url, '/bare?user_key=k', { host: 'bare.example.com' })).status, 200);
        await send(gateway.url, '/out?user_key=k', { host: 'out.example.com' });
        const targets = proxy.requests.map((r) => r.target);
        assert.ok(
          !targets.some((t) => t.includes('internal.test')),
          `NO_PROXY=${noProxy}: the internal hosts went direct (${targets.join(' ')})`,
        );
        assert.ok(
          targets.includes(`http://api.elsewhere.test:${port}/out?user_key=k`),
          `NO_PROXY=${noProxy}: another domain goes through the proxy (${targets.join(' ')})`,
        );
        await gateway.stop();
        gateway = undefined;
      }
    } finally {
      await dns.stop();
    }
  });
});
