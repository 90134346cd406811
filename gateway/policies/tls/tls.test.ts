import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect, createSecureContext } from 'node:tls';
import type { Policy } from '../../src/chain/policy.js';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { dataUrl, tlsMaterial } from '../../test-support/policies/tls-material.js';
import { TLS_CERTIFICATE } from './index.js';
import { asError } from '../../src/shared/errors.js';

/** An HTTPS listener whose SNI callback runs the policy's ssl_certificate phase, as the gateway's must. */
async function listenerWith(policy: Policy, defaultCertificate: { cert: string; key: string }): Promise<{ port: number; server: Server }> {
  const server = createServer(
    {
      ...defaultCertificate,
      SNICallback: (servername, done) => {
        const ctx = testContext({ scheme: 'https', headers: { host: servername } });
        Promise.resolve(policy.ssl_certificate?.(ctx)).then(
          () => {
            const chosen = ctx.shared[TLS_CERTIFICATE] as { cert: string; key: string } | undefined;
            // No context: Node falls back to the listener's default certificate.
            done(null, chosen ? createSecureContext(chosen) : undefined);
          },
          (error: unknown) => {
            done(asError(error));
          },
        );
      },
    },
    (_req, res) => res.end('ok'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

function presentedSubject(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca, rejectUnauthorized: false }, () => {
      const subject = String(socket.getPeerCertificate().subject.CN ?? '');
      socket.end();
      resolve(subject);
    });
    socket.on('error', reject);
  });
}

describe('tls policy over a real TLS handshake (SNI)', () => {
  it('serves the policy certificate instead of the listener default', async () => {
    const tls = await tlsMaterial();
    const policy = await buildPolicy('tls', {
      certificates: [{ certificate: dataUrl(tls.server.cert), certificate_key: dataUrl(tls.server.key) }],
    });
    const { port, server } = await listenerWith(policy, tls.stranger);
    try {
      assert.equal(await presentedSubject(port, tls.ca.cert), 'localhost');
    } finally {
      server.close();
    }
  });

  it('keeps the listener default when no entry is usable', async () => {
    const tls = await tlsMaterial();
    const policy = await buildPolicy('tls', { certificates: [{ certificate_path: '/missing.pem', certificate_key_path: '/missing.key' }] });
    const { port, server } = await listenerWith(policy, tls.stranger);
    try {
      assert.equal(await presentedSubject(port, tls.ca.cert), 'Stranger');
    } finally {
      server.close();
    }
  });
});
