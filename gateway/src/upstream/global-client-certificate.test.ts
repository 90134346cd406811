/**
 * The gateway-wide TLS settings towards HTTPS upstreams (gateway.md §1.7):
 * APICAST_PROXY_HTTPS_CERTIFICATE(_KEY) with an encrypted key opened through
 * APICAST_PROXY_HTTPS_PASSWORD_FILE, and APICAST_PROXY_HTTPS_SESSION_REUSE.
 */
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tlsSocketOf } from '../../test-support/tls-socket.js';
import { request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://localhost:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server | undefined): Promise<void> {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => {
    if (server)
      server.close(() => {
        resolve();
      });
    else resolve();
  });
}

describe('gateway-wide TLS settings towards HTTPS upstreams (gateway.md §1.7)', function () {
  this.timeout(60_000);
  const servers: Server[] = [];
  const gateways: RunningGateway[] = [];
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upstream-tls-'));
  });
  after(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await Promise.all(servers.map(close));
  });

  async function gatewayFor(upstreamUrl: string, env: Record<string, string>): Promise<RunningGateway> {
    const gateway = await startGateway(serviceConfiguration([{ name: 'apicast' }], upstreamUrl), { env });
    gateways.push(gateway);
    return gateway;
  }

  async function get(gateway: RunningGateway): Promise<{ status: number; body: string }> {
    const response = await request(`${gateway.url}/x?user_key=k`, { headers: { host: 'localhost' } });
    return { status: response.statusCode, body: await response.body.text() };
  }

  describe('client certificate with an encrypted key', () => {
    let upstreamUrl: string;
    let encryptedKeyPath: string;

    before(async () => {
      const tls = await tlsMaterial();
      // Only clients presenting a certificate of the test CA get through.
      const server = createServer(
        { cert: tls.server.cert, key: tls.server.key, ca: tls.ca.cert, requestCert: true, rejectUnauthorized: true },
        (req, res) => {
          res.end(`client ${String(tlsSocketOf(req).getPeerCertificate().subject.CN)}`);
        },
      );
      servers.push(server);
      upstreamUrl = await listen(server);
      encryptedKeyPath = join(dir, 'client-encrypted.key');
      await writeFile(
        encryptedKeyPath,
        createPrivateKey(tls.client.key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 's3cret' }),
      );
    });

    it('opens the key with a passphrase of APICAST_PROXY_HTTPS_PASSWORD_FILE (tried in order) and presents the certificate', async () => {
      const { client } = await tlsMaterial();
      const passwords = join(dir, 'passwords');
      await writeFile(passwords, 'not-this-one\ns3cret\n');
      const gateway = await gatewayFor(upstreamUrl, {
        APICAST_PROXY_HTTPS_CERTIFICATE: client.certPath,
        APICAST_PROXY_HTTPS_CERTIFICATE_KEY: encryptedKeyPath,
        APICAST_PROXY_HTTPS_PASSWORD_FILE: passwords,
      });
      assert.deepEqual(await get(gateway), { status: 200, body: 'client test-client' });
    });

    it('without the passphrase the key cannot be used: logged, and the upstream refuses the handshake (502)', async () => {
      const { client } = await tlsMaterial();
      const gateway = await gatewayFor(upstreamUrl, {
        APICAST_PROXY_HTTPS_CERTIFICATE: client.certPath,
        APICAST_PROXY_HTTPS_CERTIFICATE_KEY: encryptedKeyPath,
      });
      assert.equal((await get(gateway)).status, 502);
      assert.match(gateway.logs(), /APICAST_PROXY_HTTPS_CERTIFICATE_KEY cannot be opened/);
    });
  });

  describe('TLS session reuse', () => {
    let upstreamUrl: string;

    before(async () => {
      const tls = await tlsMaterial();
      // `Connection: close` makes every request a new TLS connection, so resumption is observable.
      const server = createServer({ cert: tls.server.cert, key: tls.server.key }, (req, res) => {
        res.writeHead(200, { Connection: 'close' });
        res.end(`reused=${tlsSocketOf(req).isSessionReused()}`);
      });
      servers.push(server);
      upstreamUrl = await listen(server);
    });

    async function secondConnection(env: Record<string, string>): Promise<string> {
      const gateway = await gatewayFor(upstreamUrl, env);
      assert.deepEqual(await get(gateway), { status: 200, body: 'reused=false' });
      return (await get(gateway)).body;
    }

    it('resumes the TLS session on the next connection by default', async () => {
      assert.equal(await secondConnection({}), 'reused=true');
    });

    it('makes a full handshake every time with APICAST_PROXY_HTTPS_SESSION_REUSE=off', async () => {
      assert.equal(await secondConnection({ APICAST_PROXY_HTTPS_SESSION_REUSE: 'off' }), 'reused=false');
    });
  });
});
