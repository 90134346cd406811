import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tlsSocketOf } from '../../test-support/tls-socket.js';
import { request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { dataUrl, tlsMaterial } from '../../test-support/policies/tls-material.js';

describe('upstream_mtls through the real gateway', function () {
  let upstream: Server | undefined;
  let upstreamUrl: string;
  const gateways: RunningGateway[] = [];

  before(async () => {
    const tls = await tlsMaterial();
    // The upstream only talks to clients presenting a certificate signed by the test CA.
    upstream = createServer(
      { cert: tls.server.cert, key: tls.server.key, ca: tls.ca.cert, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const peer = tlsSocketOf(req).getPeerCertificate();
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(`client ${String(peer.subject.CN)}`);
      },
    );
    await new Promise<void>((resolve) => upstream!.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `https://localhost:${(upstream.address() as AddressInfo).port}`;
  });
  after(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    upstream?.closeAllConnections();
    await new Promise<void>((resolve) =>
      upstream?.close(() => {
        resolve();
      }),
    );
  });

  async function call(chain: unknown[]): Promise<{ status: number; body: string }> {
    const gateway = await startGateway(serviceConfiguration(chain, upstreamUrl));
    gateways.push(gateway);
    const response = await request(`${gateway.url}/x?user_key=k`, { headers: { host: 'localhost' } });
    return { status: response.statusCode, body: await response.body.text() };
  }

  it('presents the configured client certificate (files) to the HTTPS upstream', async () => {
    const { client } = await tlsMaterial();
    const result = await call([
      { name: 'apicast' },
      {
        name: 'upstream_mtls',
        configuration: {
          certificate_type: 'path',
          certificate_key_type: 'path',
          certificate: client.certPath,
          certificate_key: client.keyPath,
        },
      },
    ]);
    assert.deepEqual(result, { status: 200, body: 'client test-client' });
  });

  it('presents an embedded (data URL) certificate', async () => {
    const { client } = await tlsMaterial();
    const result = await call([
      {
        name: 'upstream_mtls',
        configuration: {
          certificate_type: 'embedded',
          certificate_key_type: 'embedded',
          certificate: dataUrl(client.cert),
          certificate_key: dataUrl(client.key),
        },
      },
      { name: 'apicast' },
    ]);
    assert.deepEqual(result, { status: 200, body: 'client test-client' });
  });

  it('without the policy the upstream refuses the TLS handshake and the client gets 502', async () => {
    const result = await call([{ name: 'apicast' }]);
    assert.equal(result.status, 502);
  });
});
