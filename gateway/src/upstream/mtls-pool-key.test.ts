/**
 * Upstream pools are keyed by a digest of the TLS material (proxy.ts): two
 * upstream_mtls services on one origin whose client certificates have the
 * same PEM length must each present their own certificate, never share a
 * pooled connection opened with the other's.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tlsSocketOf } from '../../test-support/tls-socket.js';
import { promisify } from 'node:util';
import { request } from 'undici';
import { startGateway, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { dataUrl, tlsMaterial, type KeyPair } from '../../test-support/policies/tls-material.js';
import { stopAll } from '../../test-support/teardown.js';

const run = promisify(execFile);

/** A client certificate signed by the test CA, EC P-256 (fixed-length key PEM). */
async function clientCertificate(dir: string, ca: KeyPair, cn: string, attempt: number): Promise<{ cert: string; key: string }> {
  const base = join(dir, `${cn}-${attempt}`);
  await writeFile(`${base}.ext`, 'extendedKeyUsage=clientAuth\n');
  await run('openssl', [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    `${base}.key`,
    '-out',
    `${base}.csr`,
    '-subj',
    `/CN=${cn}`,
  ]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    `${base}.csr`,
    '-CA',
    ca.certPath,
    '-CAkey',
    ca.keyPath,
    '-set_serial',
    String(1000 + attempt),
    '-out',
    `${base}.crt`,
    '-days',
    '2',
    '-extfile',
    `${base}.ext`,
  ]);
  return { cert: await readFile(`${base}.crt`, 'utf8'), key: await readFile(`${base}.key`, 'utf8') };
}

/** Two certificates (CN client-a / client-b) whose cert PEMs and key PEMs have equal lengths. */
async function equalLengthPair(ca: KeyPair): Promise<[{ cert: string; key: string }, { cert: string; key: string }]> {
  const dir = await mkdtemp(join(tmpdir(), 'pool-key-'));
  // ECDSA signatures vary by a byte or two in DER: keep every candidate of each name and stop at the first
  // pair of equal lengths (any a with any b), which a handful of tries finds.
  const as: { cert: string; key: string }[] = [];
  const bs: { cert: string; key: string }[] = [];
  const same = (x: { cert: string; key: string }, y: { cert: string; key: string }) =>
    x.cert.length === y.cert.length && x.key.length === y.key.length;
  for (let attempt = 0; attempt < 40; attempt++) {
    const a = await clientCertificate(dir, ca, 'client-a', 2 * attempt);
    const b = await clientCertificate(dir, ca, 'client-b', 2 * attempt + 1);
    as.push(a);
    bs.push(b);
    for (const x of as) for (const y of bs) if (same(x, y)) return [x, y];
  }
  throw new Error('could not generate two client certificates of equal PEM length');
}

describe('upstream pools keyed by the TLS material, not its length', function () {
  let upstream: Server | undefined;
  let gateway: RunningGateway;
  let certA: { cert: string; key: string };
  let certB: { cert: string; key: string };

  before(async function () {
    this.timeout(120_000);
    const tls = await tlsMaterial();
    [certA, certB] = await equalLengthPair(tls.ca);
    assert.equal(certA.cert.length, certB.cert.length);
    assert.notEqual(certA.cert, certB.cert);
    // Requires a client certificate from the test CA and says which one it saw on this connection.
    upstream = createServer(
      { cert: tls.server.cert, key: tls.server.key, ca: tls.ca.cert, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(tlsSocketOf(req).getPeerCertificate().subject.CN ?? 'none');
      },
    );
    await new Promise<void>((resolve) => upstream!.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `https://localhost:${(upstream.address() as AddressInfo).port}`;
    const service = (id: number, host: string, pair: { cert: string; key: string }): unknown => ({
      id,
      backend_version: '1',
      proxy: {
        hosts: [host],
        api_backend: upstreamUrl,
        proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
        policy_chain: [
          { name: 'apicast' },
          {
            name: 'upstream_mtls',
            configuration: {
              certificate_type: 'embedded',
              certificate_key_type: 'embedded',
              certificate: dataUrl(pair.cert),
              certificate_key: dataUrl(pair.key),
            },
          },
        ],
      },
    });
    gateway = await startGateway({ services: [service(1, 'one.test', certA), service(2, 'two.test', certB)] });
  });

  after(async () => {
    await stopAll(gateway);
    upstream?.closeAllConnections();
    await new Promise<void>((resolve) => {
      if (upstream)
        upstream.close(() => {
          resolve();
        });
      else resolve();
    });
  });

  it('each service presents its own certificate, alternating over kept-alive connections', async () => {
    const seen: string[] = [];
    for (let round = 0; round < 4; round++) {
      for (const host of ['one.test', 'two.test']) {
        const response = await request(`${gateway.url}/x?user_key=k`, { headers: { host } });
        seen.push(`${host}:${response.statusCode}:${await response.body.text()}`);
      }
    }
    const expected = Array.from({ length: 4 }, () => ['one.test:200:client-a', 'two.test:200:client-b']).flat();
    assert.deepEqual(seen, expected);
  });
});
