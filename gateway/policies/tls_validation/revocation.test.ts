import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { buildPolicy, closeTestRuntime } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { revocationPki, startOcspResponder, type RevocationPki } from '../../test-support/policies/revocation-pki.js';
import { freePort } from '../../../test/support/ports.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';
import type { ManagedProcess } from '../../../test/support/process.js';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildOcspRequest, verifyOcspResponse, aiaOcspUrl } from './ocsp.js';

const run = promisify(execFile);
import { crlError, parseRevocationLists } from './crl.js';
import { stopAll } from '../../test-support/teardown.js';

async function access(configuration: Record<string, unknown>, clientPem: string | undefined, chain?: string[]) {
  const policy = await buildPolicy('tls_validation', configuration);
  const ctx = testContext({
    scheme: 'https',
    ...(clientPem ? { tlsClientCertificate: clientPem } : {}),
    ...(chain ? { tlsClientCertificateChain: chain } : {}),
  });
  await policy.access!(ctx);
  return ctx.exitedWith && { status: ctx.exitedWith.status, body: ctx.exitedWith.options?.body };
}

describe('tls_validation CRL checks (revocation_check_type crl)', () => {
  let pki: RevocationPki;
  before(async () => {
    pki = await revocationPki();
  });
  const crlConfig = (crls: string[]) => ({
    whitelist: [{ pem_certificate: pki.ca.cert }],
    revocation_check_type: 'crl',
    revoke_list: crls.map((pem_certificate) => ({ pem_certificate })),
  });

  it('lets a certificate the CRL does not list through', async () => {
    assert.equal(await access(crlConfig([pki.crl]), pki.good.cert), undefined);
  });
  it('refuses a listed certificate with 400 "certificate revoked"', async () => {
    assert.deepEqual(await access(crlConfig([pki.crl]), pki.revoked.cert), { status: 400, body: 'certificate revoked\n' });
  });
  it('uses error_status for the refusal', async () => {
    assert.deepEqual(await access({ ...crlConfig([pki.crl]), error_status: 403 }, pki.revoked.cert), {
      status: 403,
      body: 'certificate revoked\n',
    });
  });
  it('ignores revoke_list when revocation_check_type is none (the default)', async () => {
    const { revocation_check_type: _none, ...config } = crlConfig([pki.crl]);
    assert.equal(await access(config, pki.revoked.cert), undefined);
  });
  it('refuses on a CRL with the issuer name but not signed by the issuer key', async () => {
    assert.deepEqual(await access(crlConfig([pki.impostorCrl]), pki.good.cert), { status: 400, body: 'CRL signature failure\n' });
  });
  it('refuses on an expired CRL of the issuer', async () => {
    assert.deepEqual(await access(crlConfig([pki.expiredCrl]), pki.good.cert), { status: 400, body: 'CRL has expired\n' });
  });
  it('checks a certificate only against the CRLs of its issuer: another CA without CRL passes', async () => {
    const other = await tlsMaterial();
    const config = {
      whitelist: [{ pem_certificate: pki.ca.cert }, { pem_certificate: other.ca.cert }],
      revocation_check_type: 'crl',
      revoke_list: [{ pem_certificate: pki.crl }],
    };
    assert.equal(await access(config, other.client.cert), undefined);
    assert.deepEqual(await access(config, pki.revoked.cert), { status: 400, body: 'certificate revoked\n' });
    const lists = parseRevocationLists(`${pki.crl}${pki.expiredCrl}`);
    assert.equal(lists.length, 2, 'one revoke_list entry may hold several CRLs');
    assert.equal(
      crlError(new X509Certificate(pki.revoked.cert), new X509Certificate(pki.ca.cert), lists.slice(0, 1), new Date()),
      'certificate revoked',
    );
  });
  it('rejects a revoke_list entry that is not a CRL, naming it', async () => {
    await assert.rejects(access(crlConfig([pki.crl, 'not a crl']), undefined), /revoke_list\[1\]\.pem_certificate/);
    const garbled = `-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n`;
    await assert.rejects(access(crlConfig([garbled]), undefined), /revoke_list\[0\]\.pem_certificate: not a PEM CRL/);
  });
  it('rejects an unknown revocation_check_type through the manifest, naming the field', async () => {
    await assert.rejects(buildPolicy('tls_validation', { revocation_check_type: 'stapling' }), /revocation_check_type/);
    await assert.rejects(buildPolicy('tls_validation', { revocation_check_type: 'ocsp', cache_ttl: 0 }), /cache_ttl/);
    await assert.rejects(
      buildPolicy('tls_validation', { revocation_check_type: 'ocsp', ocsp_responder_url: 'ftp://x' }),
      /ocsp_responder_url/,
    );
  });
});

/** A counting HTTP proxy in front of the responder: how many OCSP requests reached it. */
async function countingProxy(target: number): Promise<{ server: Server; port: number; count: () => number }> {
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    const upstream = httpRequest({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port, count: () => count };
}

describe('tls_validation OCSP checks against openssl ocsp (revocation_check_type ocsp)', function () {
  this.timeout(30_000);
  let pki: RevocationPki;
  let responder: ManagedProcess;
  let caSigned: { process: ManagedProcess; url: string } | undefined;
  before(async () => {
    pki = await revocationPki();
    responder = (await startOcspResponder(pki)).process;
    caSigned = await startOcspResponder(pki, { port: await freePort(), signer: 'ca' });
  });
  after(async () => {
    await closeTestRuntime();
    await stopAll(responder);
    await caSigned?.process.stop();
  });
  const ocspConfig = (extra: Record<string, unknown> = {}) => ({
    whitelist: [{ pem_certificate: pki.ca.cert }],
    revocation_check_type: 'ocsp',
    ...extra,
  });

  it('lets a good certificate through, asking the URL of its AIA extension', async () => {
    assert.equal(aiaOcspUrl(new X509Certificate(pki.good.cert)), `http://127.0.0.1:${pki.ocspPort}`);
    assert.equal(await access(ocspConfig(), pki.good.cert), undefined);
  });
  it('refuses a revoked certificate with 400 "certificate revoked"', async () => {
    assert.deepEqual(await access(ocspConfig(), pki.revoked.cert), { status: 400, body: 'certificate revoked\n' });
  });
  it('refuses a certificate the responder does not know ("unknown")', async () => {
    assert.deepEqual(await access(ocspConfig(), pki.unrecorded.cert), { status: 400, body: 'OCSP unknown cert\n' });
  });
  it('accepts a response signed by the CA itself, from ocsp_responder_url', async () => {
    assert.equal(await access(ocspConfig({ ocsp_responder_url: caSigned!.url }), pki.good.cert), undefined);
    assert.deepEqual(await access(ocspConfig({ ocsp_responder_url: caSigned!.url }), pki.revoked.cert), {
      status: 400,
      body: 'certificate revoked\n',
    });
  });
  it('uses ocsp_responder_url for a certificate without AIA, and refuses it without any URL', async () => {
    assert.equal(await access(ocspConfig({ ocsp_responder_url: `http://127.0.0.1:${pki.ocspPort}` }), pki.noAia.cert), undefined);
    assert.deepEqual(await access(ocspConfig(), pki.noAia.cert), { status: 400, body: 'OCSP verification needed\n' });
  });
  it('refuses when the responder is down', async () => {
    const closed = await freePort();
    assert.deepEqual(await access(ocspConfig({ ocsp_responder_url: `http://127.0.0.1:${closed}/` }), pki.good.cert), {
      status: 400,
      body: 'OCSP verification failed\n',
    });
  });
  it('refuses when the responder answers something that is not an OCSP response', async () => {
    const server = createServer((_req, res) => {
      res.end('invalid');
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      assert.deepEqual(await access(ocspConfig({ ocsp_responder_url: `http://127.0.0.1:${port}/` }), pki.good.cert), {
        status: 400,
        body: 'OCSP verification failed\n',
      });
    } finally {
      server.close();
    }
  });
  /** An OCSP response for the good certificate made by `openssl ocsp` offline, signed by `signer` (files in the PKI folder). */
  async function offlineResponse(signerCert: string, signerKey: string, extra: string[] = []): Promise<Buffer> {
    const request = buildOcspRequest(new X509Certificate(pki.good.cert), new X509Certificate(pki.ca.cert));
    const stamp = `${Date.now()}-${Math.random()}`;
    await writeFile(join(pki.dir, `req-${stamp}.der`), request);
    await run('openssl', [
      'ocsp',
      '-index',
      join(pki.dir, 'index.txt'),
      '-reqin',
      join(pki.dir, `req-${stamp}.der`),
      '-CA',
      join(pki.dir, 'ca.crt'),
      '-rsigner',
      join(pki.dir, signerCert),
      '-rkey',
      join(pki.dir, signerKey),
      '-respout',
      join(pki.dir, `resp-${stamp}.der`),
      ...extra,
    ]);
    return readFile(join(pki.dir, `resp-${stamp}.der`));
  }
  const verifyGood = (der: Buffer, now = new Date()) =>
    verifyOcspResponse(der, new X509Certificate(pki.good.cert), new X509Certificate(pki.ca.cert), now);

  it('refuses a response signed by a key the CA never authorized', async () => {
    const forged = await offlineResponse('impostor/ca.crt', 'impostor/ca.key');
    // The impostor CA has the same name: its answers must not verify.
    assert.throws(() => verifyGood(forged), /signed neither by the issuer/);
  });
  it('refuses a response signed by a certificate of the CA without the OCSPSigning extended key usage', async () => {
    // good.crt is issued by the CA, but for clientAuth only.
    const der = await offlineResponse('good.crt', 'good.key');
    assert.throws(() => verifyGood(der), /signed neither by the issuer/);
    assert.equal(verifyGood(await offlineResponse('responder.crt', 'responder.key')).status, 'good');
  });
  it('refuses a response whose nextUpdate is past, and one produced in the future', async () => {
    const der = await offlineResponse('ca.crt', 'ca.key', ['-nmin', '1']); // signed by the CA: the check is the times
    assert.equal(verifyGood(der).status, 'good');
    assert.throws(() => verifyGood(der, new Date(Date.now() + 10 * 60_000)), /has expired/);
    assert.throws(() => verifyGood(der, new Date(Date.now() - 10 * 60_000)), /not yet valid/);
  });
  it('caches an answer per certificate for cache_ttl: two checks, one responder request', async () => {
    const proxy = await countingProxy(pki.ocspPort);
    try {
      const config = ocspConfig({ ocsp_responder_url: `http://127.0.0.1:${proxy.port}/`, cache_ttl: 60 });
      const policy = await buildPolicy('tls_validation', config);
      for (const pem of [pki.good.cert, pki.good.cert]) {
        const ctx = testContext({ scheme: 'https', tlsClientCertificate: pem });
        await policy.access!(ctx);
        assert.equal(ctx.exitedWith, undefined);
      }
      assert.equal(proxy.count(), 1);
      const revoked = testContext({ scheme: 'https', tlsClientCertificate: pki.revoked.cert });
      await policy.access!(revoked);
      assert.equal(revoked.exitedWith?.status, 400);
      assert.equal(proxy.count(), 2);
    } finally {
      proxy.server.close();
    }
  });
  it('asks every time without cache_ttl', async () => {
    const proxy = await countingProxy(pki.ocspPort);
    try {
      const policy = await buildPolicy('tls_validation', ocspConfig({ ocsp_responder_url: `http://127.0.0.1:${proxy.port}/` }));
      for (let i = 0; i < 2; i += 1) await policy.access!(testContext({ scheme: 'https', tlsClientCertificate: pki.good.cert }));
      assert.equal(proxy.count(), 2);
    } finally {
      proxy.server.close();
    }
  });
});
