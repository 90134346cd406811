import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { Agent, request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { revocationPki, startOcspResponder, type Pem, type RevocationPki } from '../../test-support/policies/revocation-pki.js';
import { runGatewayToExit } from '../../test-support/run-to-exit.js';
import { freePort } from '../../../test/support/ports.js';
import type { ManagedProcess } from '../../../test/support/process.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

/** One HTTPS request with a client certificate, on a connection of its own. */
async function call(gateway: RunningGateway, client: Pem, agents: Agent[]): Promise<{ status: number; body: string }> {
  const agent = new Agent({ connect: { rejectUnauthorized: false, servername: 'localhost', cert: client.cert, key: client.key } });
  agents.push(agent);
  const response = await request(`https://127.0.0.1:${gateway.httpsPort}/x?user_key=k`, {
    dispatcher: agent,
    headers: { host: 'localhost' },
  });
  return { status: response.statusCode, body: await response.body.text() };
}

/**
 * A counting HTTP proxy on `port` in front of the responder on `target`: the OCSP requests that reached the
 * responder, and the request targets it saw (absolute URIs when it is used as a forward proxy).
 */
async function countingProxy(port: number, target: number): Promise<{ server: Server; count: () => number; targets: string[] }> {
  let count = 0;
  const targets: string[] = [];
  const server = createServer((req, res) => {
    count += 1;
    targets.push(req.url ?? '');
    const path = req.url?.startsWith('http://') ? new URL(req.url).pathname : req.url;
    const upstream = httpRequest({ host: '127.0.0.1', port: target, method: req.method, path, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, count: () => count, targets };
}

describe('tls_validation with a CRL on the real gateway HTTPS listener', function () {
  this.timeout(30_000);
  let pki: RevocationPki;
  let upstream: UpstreamServer;
  let gateway: RunningGateway;
  const agents: Agent[] = [];

  before(async () => {
    pki = await revocationPki();
    upstream = await startUpstream();
    gateway = await startGateway(
      serviceConfiguration(
        [
          {
            name: 'tls_validation',
            configuration: {
              whitelist: [{ pem_certificate: pki.ca.cert }],
              revocation_check_type: 'crl',
              revoke_list: [{ pem_certificate: pki.crl }],
            },
          },
          { name: 'apicast' },
        ],
        upstream.url,
      ),
      { https: true },
    );
  });
  after(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await stopAll(gateway);
    await closeAll(upstream);
  });

  it('lets a certificate the CRL does not list reach the upstream', async () => {
    const before = upstream.received.length;
    const result = await call(gateway, pki.good, agents);
    assert.equal(result.status, 200, result.body);
    assert.equal(upstream.received.length, before + 1);
  });

  it('answers 400 "certificate revoked" for a certificate the CRL lists, without calling the upstream', async () => {
    const before = upstream.received.length;
    assert.deepEqual(await call(gateway, pki.revoked, agents), { status: 400, body: 'certificate revoked\n' });
    assert.equal(upstream.received.length, before);
  });
});

describe('tls_validation with OCSP (openssl ocsp responder) on the real gateway HTTPS listener', function () {
  this.timeout(30_000);
  let pki: RevocationPki;
  let upstream: UpstreamServer;
  let responder: ManagedProcess;
  let proxy: Awaited<ReturnType<typeof countingProxy>> | undefined;
  let gateway: RunningGateway;
  const agents: Agent[] = [];

  before(async () => {
    pki = await revocationPki();
    upstream = await startUpstream();
    // The client certificates' AIA URL names pki.ocspPort: the counting proxy listens there, the responder behind it.
    const responderPort = await freePort();
    responder = (await startOcspResponder(pki, { port: responderPort })).process;
    proxy = await countingProxy(pki.ocspPort, responderPort);
    gateway = await startGateway(
      serviceConfiguration(
        [
          {
            name: 'tls_validation',
            configuration: { whitelist: [{ pem_certificate: pki.ca.cert }], revocation_check_type: 'ocsp', cache_ttl: 60 },
          },
          { name: 'apicast' },
        ],
        upstream.url,
      ),
      { https: true },
    );
  });
  after(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await stopAll(gateway);
    await closeAll(upstream);
    proxy?.server.close();
    await stopAll(responder);
  });

  it('lets a good certificate through after asking the responder of its AIA URL; a second connection within cache_ttl asks nobody', async () => {
    const before = upstream.received.length;
    const first = await call(gateway, pki.good, agents);
    assert.equal(first.status, 200, `${first.body}\n${gateway.logs()}`);
    assert.equal(proxy!.count(), 1);
    const second = await call(gateway, pki.good, agents);
    assert.equal(second.status, 200, second.body);
    assert.equal(proxy!.count(), 1, 'the second connection was answered from the cache');
    assert.equal(upstream.received.length, before + 2);
  });

  it('answers 400 "certificate revoked" when the responder says revoked, without calling the upstream', async () => {
    const before = upstream.received.length;
    assert.deepEqual(await call(gateway, pki.revoked, agents), { status: 400, body: 'certificate revoked\n' });
    assert.equal(upstream.received.length, before);
  });

  it('answers 400 "OCSP unknown cert" when the responder does not know the certificate', async () => {
    assert.deepEqual(await call(gateway, pki.unrecorded, agents), { status: 400, body: 'OCSP unknown cert\n' });
  });

  it('answers 400 "OCSP verification needed" for a certificate without OCSP URL (no ocsp_responder_url)', async () => {
    assert.deepEqual(await call(gateway, pki.noAia, agents), { status: 400, body: 'OCSP verification needed\n' });
  });
});

describe('tls_validation with OCSP when the responder is down (real gateway)', function () {
  this.timeout(30_000);
  let pki: RevocationPki;
  let upstream: UpstreamServer;
  let gateway: RunningGateway;
  const agents: Agent[] = [];

  before(async () => {
    pki = await revocationPki();
    upstream = await startUpstream();
    const nobody = await freePort();
    gateway = await startGateway(
      serviceConfiguration(
        [
          {
            name: 'tls_validation',
            configuration: {
              whitelist: [{ pem_certificate: pki.ca.cert }],
              revocation_check_type: 'ocsp',
              ocsp_responder_url: `http://127.0.0.1:${nobody}/`,
              cache_ttl: 60,
            },
          },
          { name: 'apicast' },
        ],
        upstream.url,
      ),
      { https: true },
    );
  });
  after(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await stopAll(gateway);
    await closeAll(upstream);
  });

  it('refuses a good certificate with 400 "OCSP verification failed" (fail closed, as APIcast), without calling the upstream', async () => {
    const before = upstream.received.length;
    assert.deepEqual(await call(gateway, pki.good, agents), { status: 400, body: 'OCSP verification failed\n' });
    assert.equal(upstream.received.length, before);
    assert.match(gateway.logs(), /could not be reached/);
  });

  it('never caches the failure: the next connection tries the responder again', async () => {
    assert.deepEqual(await call(gateway, pki.good, agents), { status: 400, body: 'OCSP verification failed\n' });
    assert.equal((gateway.logs().match(/could not be reached/g) ?? []).length, 2);
  });
});

describe('tls_validation with OCSP through HTTP_PROXY (real gateway)', function () {
  this.timeout(30_000);
  let pki: RevocationPki;
  let upstream: UpstreamServer;
  let responder: ManagedProcess;
  let forward: Awaited<ReturnType<typeof countingProxy>> | undefined;
  let gateway: RunningGateway;
  const agents: Agent[] = [];

  before(async () => {
    pki = await revocationPki();
    upstream = await startUpstream();
    const responderPort = await freePort();
    responder = (await startOcspResponder(pki, { port: responderPort })).process;
    forward = await countingProxy(await freePort(), responderPort);
    const proxyUrl = `http://127.0.0.1:${(forward.server.address() as { port: number }).port}`;
    // ocsp.invalid resolves nowhere: only the forward proxy can reach it.
    gateway = await startGateway(
      serviceConfiguration(
        [
          {
            name: 'tls_validation',
            configuration: {
              whitelist: [{ pem_certificate: pki.ca.cert }],
              revocation_check_type: 'ocsp',
              ocsp_responder_url: 'http://ocsp.invalid:2560/status',
            },
          },
          { name: 'apicast' },
        ],
        upstream.url,
      ),
      { https: true, env: { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1,localhost' } },
    );
  });
  after(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await stopAll(gateway);
    await closeAll(upstream);
    forward?.server.close();
    await stopAll(responder);
  });

  it('sends the OCSP request to ocsp_responder_url through the forward proxy', async () => {
    const result = await call(gateway, pki.good, agents);
    assert.equal(result.status, 200, `${result.body}\n${gateway.logs()}`);
    assert.deepEqual(forward!.targets, ['http://ocsp.invalid:2560/status']);
    assert.deepEqual(await call(gateway, pki.revoked, agents), { status: 400, body: 'certificate revoked\n' });
  });
});

describe('tls_validation: a malformed CRL in the configuration', function () {
  this.timeout(30_000);
  it('the gateway refuses to boot and names revoke_list[0].pem_certificate', async () => {
    const { ca } = await revocationPki();
    const { code, output } = await runGatewayToExit(
      serviceConfiguration(
        [
          {
            name: 'tls_validation',
            configuration: {
              whitelist: [{ pem_certificate: ca.cert }],
              revocation_check_type: 'crl',
              revoke_list: [{ pem_certificate: '-----BEGIN X509 CRL-----\nnot base64 DER\n-----END X509 CRL-----\n' }],
            },
          },
          { name: 'apicast' },
        ],
        'http://127.0.0.1:1',
      ),
    );
    assert.notEqual(code, 0);
    assert.match(output, /policy_chain\[0\]\.configuration.*revoke_list\[0\]\.pem_certificate: not a PEM CRL/);
  });
});
