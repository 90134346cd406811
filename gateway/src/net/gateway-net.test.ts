/**
 * The gateway's network edges (gateway.md §0, §1.7, §1.8): the HTTPS
 * listener with configured or bundled certificates, and outgoing traffic
 * (upstream, backend, portal) through HTTP_PROXY unless NO_PROXY says not.
 */
import assert from 'node:assert/strict';
import { connect as tlsConnect } from 'node:tls';
import { Agent, request } from 'undici';
import { freePort } from '../../../test/support/ports.js';
import { startFakePortal } from '../../test-support/fake-portal.js';
import { startForwardProxy, type ForwardProxy } from '../../test-support/forward-proxy.js';
import { send } from '../../test-support/http-client.js';
import { startOpsGateway, type OpsGateway } from '../../test-support/ops-gateway.js';
import { selfSignedCertificate } from '../../test-support/tls-certificates.js';
import { TestUpstream } from '../../test-support/upstream.js';

const service = (id: number, host: string, upstream: string) => ({
  id, proxy: { hosts: [host], api_backend: upstream, proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }] },
});

function peerCommonName(port: number): Promise<{ cn: string; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, servername: 'tls.example.com' }, () => {
      const cn = String(socket.getPeerCertificate().subject?.CN ?? '');
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
  beforeEach(async () => { upstream = await TestUpstream.start(); proxy = await startForwardProxy(); });
  afterEach(async () => { await gateway?.stop(); gateway = undefined; await upstream.stop(); await proxy.stop(); });

  it('APICAST_HTTPS_PORT serves the same traffic over TLS with APICAST_HTTPS_CERTIFICATE, or the bundled certificate', async () => {
    const certificate = await selfSignedCertificate('tls.example.com');
    const httpsPort = await freePort();
    gateway = await startOpsGateway({
      config: { services: [service(1, 'tls.example.com', upstream.url)] },
      env: { APICAST_HTTPS_PORT: String(httpsPort), APICAST_HTTPS_CERTIFICATE: certificate.certFile, APICAST_HTTPS_CERTIFICATE_KEY: certificate.keyFile },
    });
    const agent = new Agent({ connect: { rejectUnauthorized: false } });
    try {
      const response = await request(`https://127.0.0.1:${httpsPort}/secure?user_key=k`, { headers: { host: 'tls.example.com' }, dispatcher: agent });
      assert.equal(response.statusCode, 200);
      await response.body.dump();
      assert.equal(upstream.last?.url, '/secure?user_key=k');
      const peer = await peerCommonName(httpsPort);
      assert.equal(peer.cn, 'tls.example.com');
      assert.match(String(peer.protocol), /^TLSv1\.[23]$/);
      assert.equal((await send(gateway.url, '/?user_key=k', { host: 'tls.example.com' })).status, 200, 'plain HTTP still served');
    } finally {
      await agent.close();
    }
    await gateway.stop();

    // Same port for both: HTTPS only, with the bundled certificate.
    const samePort = await freePort();
    gateway = await startOpsGateway({ config: { services: [service(1, 'tls.example.com', upstream.url)] }, env: { APICAST_HTTPS_PORT: String(samePort), APICAST_HTTP_PORT: String(samePort) } });
    assert.equal((await peerCommonName(samePort)).cn, 'apicast', 'the bundled self-signed certificate');
    const insecure = new Agent({ connect: { rejectUnauthorized: false } });
    try {
      const response = await request(`https://127.0.0.1:${samePort}/?user_key=k`, { headers: { host: 'tls.example.com' }, dispatcher: insecure });
      assert.equal(response.statusCode, 200);
      await response.body.dump();
    } finally {
      await insecure.close();
    }
    await assert.rejects(send(`http://127.0.0.1:${samePort}`, '/?user_key=k', { host: 'tls.example.com' }), 'plain HTTP is not served on an HTTPS-only port');
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
      assert.ok(targets.includes(`http://127.0.0.1:${portal.port}/admin/api/services.json`), `portal download proxied: ${targets.join(' ')}`);
      assert.ok(targets.includes(`${upstream.url}/via?user_key=k`), 'upstream request proxied as an absolute URI');
      assert.ok(targets.some((t) => t.includes('/transactions/authrep.xml')), 'backend authrep proxied');
      await gateway.stop();

      proxy.requests.length = 0;
      gateway = await startOpsGateway({ env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint(), HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } });
      assert.equal((await send(gateway.url, '/direct?user_key=k', { host: 'proxied.example.com' })).status, 200);
      assert.deepEqual(proxy.requests, [], 'NO_PROXY: nothing went through the proxy');
    } finally {
      await portal.stop();
    }
  });
});
