import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import { Agent, request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { dataUrl, tlsMaterial } from '../../test-support/policies/tls-material.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

function presentedCertificate(port: number, servername: string): Promise<{ subject: string; issuer: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }, () => {
      const peer = socket.getPeerCertificate();
      socket.end();
      resolve({ subject: String(peer.subject.CN ?? ''), issuer: String(peer.issuer.CN ?? '') });
    });
    socket.on('error', reject);
  });
}

describe('tls policy on the real gateway HTTPS listener', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;

  before(async () => {
    const tls = await tlsMaterial();
    upstream = await startUpstream();
    gateway = await startGateway(
      serviceConfiguration(
        [
          {
            name: 'tls',
            configuration: { certificates: [{ certificate: dataUrl(tls.server.cert), certificate_key: dataUrl(tls.server.key) }] },
          },
          { name: 'apicast' },
        ],
        upstream.url,
      ),
      { https: true },
    );
  });
  after(async () => {
    await stopAll(gateway);
    await closeAll(upstream);
  });

  it('serves the service certificate for its SNI host', async () => {
    assert.deepEqual(await presentedCertificate(gateway.httpsPort!, 'localhost'), { subject: 'localhost', issuer: 'Policies Test CA' });
  });

  it('keeps the listener default certificate for an unknown SNI host', async () => {
    const presented = await presentedCertificate(gateway.httpsPort!, 'unknown.example');
    assert.notEqual(presented.issuer, 'Policies Test CA');
  });

  it('a client trusting only the test CA completes an HTTPS request through the service', async () => {
    const { ca } = await tlsMaterial();
    const agent = new Agent({ connect: { ca: ca.cert, servername: 'localhost' } });
    try {
      const response = await request(`https://localhost:${gateway.httpsPort}/x?user_key=k`, { dispatcher: agent });
      assert.equal(response.statusCode, 200, await response.body.text());
    } finally {
      await agent.close();
    }
  });
});
