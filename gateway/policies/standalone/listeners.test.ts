import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Agent, request } from 'undici';
import { freePort } from '../../../test/support/ports.js';
import { selfSignedCertificate } from '../../test-support/tls-certificates.js';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { stopAll } from '../../test-support/teardown.js';

/** standalone server.listen[] (policies.md §6.7): the gateway opens the listed listeners and routes by their name. */
describe('standalone server.listen through the real gateway', function () {
  let gateway: RunningGateway;
  let plainPort: number;
  let tlsPort: number;
  let proxiedPort: number;
  const insecure = new Agent({ connect: { rejectUnauthorized: false } });

  function configuration(listen: unknown[]): unknown {
    const document = {
      server: { listen },
      routes: [
        { name: 'plain', match: { server_port: 'plain' }, destination: { http_response: { status: 201, body: 'via plain' } } },
        { name: 'secure', match: { server_port: 'secure' }, destination: { http_response: { status: 202, body: 'via secure' } } },
        { name: 'proxied', match: { server_port: 'proxied' }, destination: { http_response: { status: 203, body: 'via proxied' } } },
      ],
    };
    const url = `data:application/json;base64,${Buffer.from(JSON.stringify(document)).toString('base64')}`;
    return serviceConfiguration([{ name: 'standalone', configuration: { url } }], 'http://127.0.0.1:1');
  }

  before(async () => {
    [plainPort, tlsPort, proxiedPort] = [await freePort(), await freePort(), await freePort()];
    const certificate = await selfSignedCertificate();
    gateway = await startGateway(
      configuration([
        { port: plainPort, name: 'plain' },
        { port: tlsPort, name: 'secure', tls: { certificate: certificate.certFile, certificate_key: certificate.keyFile } },
        { port: proxiedPort, name: 'proxied', proxy_protocol: true },
      ]),
    );
  });
  after(async () => {
    await stopAll(gateway);
    await insecure.close();
  });

  async function get(url: string) {
    const response = await request(url, { headers: { host: 'localhost' }, dispatcher: insecure });
    return { status: response.statusCode, body: await response.body.text() };
  }

  it('serves the main port without a listener name (no server_port route matches)', async () => {
    assert.equal((await get(`${gateway.url}/x`)).status, 404);
  });

  it('opens a plain HTTP listener and routes its requests by the listener name', async () => {
    assert.deepEqual(await get(`http://127.0.0.1:${plainPort}/x`), { status: 201, body: 'via plain' });
  });

  it('opens an HTTPS listener with the entry certificate', async () => {
    assert.deepEqual(await get(`https://127.0.0.1:${tlsPort}/x`), { status: 202, body: 'via secure' });
  });

  it('expects a PROXY protocol header on a proxy_protocol listener', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(proxiedPort, '127.0.0.1', () => {
        socket.write('PROXY TCP4 192.0.2.7 127.0.0.1 4000 80\r\nGET /x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      });
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk.toString();
      });
      socket.on('end', () => {
        resolve(data);
      });
      socket.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 203 /);
    assert.match(answer, /via proxied$/);
  });

  it('closes listeners no longer listed after a reload', async () => {
    await gateway.writeConfig(configuration([{ port: tlsPort, name: 'secure', protocol: 'https' }]));
    gateway.process.signal('SIGHUP');
    const deadline = Date.now() + 10_000;
    for (;;) {
      const closed = await get(`http://127.0.0.1:${plainPort}/x`).then(
        () => false,
        (error: unknown) => {
          // undici's fetch wraps the socket's error as `cause`.
          const failure = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
          return (failure.code ?? failure.cause?.code) === 'ECONNREFUSED';
        },
      );
      if (closed) break;
      assert.ok(Date.now() < deadline, 'the plain listener stayed open after the reload');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The changed HTTPS entry (protocol https without tls keys: the default certificate) is reopened and served.
    assert.deepEqual(await get(`https://127.0.0.1:${tlsPort}/x`), { status: 202, body: 'via secure' });
  });
});

describe('standalone server.listen tls.protocols and tls.ciphers through the real gateway', function () {
  let gateway: RunningGateway;
  let modernPort: number;
  let legacyPort: number;

  before(async () => {
    [modernPort, legacyPort] = [await freePort(), await freePort()];
    const document = {
      server: {
        listen: [
          { port: modernPort, name: 'modern', protocol: 'https', tls: { protocols: ['TLSv1.3'] } },
          {
            port: legacyPort,
            name: 'legacy',
            protocol: 'https',
            tls: { protocols: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384' },
          },
        ],
      },
      routes: [{ name: 'any', match: { always: true }, destination: { http_response: { status: 200, body: 'ok' } } }],
    };
    const url = `data:application/json;base64,${Buffer.from(JSON.stringify(document)).toString('base64')}`;
    gateway = await startGateway(serviceConfiguration([{ name: 'standalone', configuration: { url } }], 'http://127.0.0.1:1'));
  });
  after(async () => {
    await stopAll(gateway);
  });

  /** The TLS version and cipher a handshake ends with, or the handshake error. */
  function handshake(
    port: number,
    options: { maxVersion?: 'TLSv1.2' | 'TLSv1.3' },
  ): Promise<{ protocol: string | null; cipher: string } | Error> {
    return new Promise((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options }, () => {
        resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().name });
        socket.end();
      });
      socket.on('error', (error: Error) => {
        resolve(error);
      });
    });
  }

  it('accepts only the listed TLS versions', async () => {
    const modern = await handshake(modernPort, {});
    assert.ok(!(modern instanceof Error), modern instanceof Error ? modern.message : '');
    assert.equal(modern.protocol, 'TLSv1.3');
    assert.ok((await handshake(modernPort, { maxVersion: 'TLSv1.2' })) instanceof Error, 'a TLS 1.2 client is refused');
  });

  it('negotiates only the listed ciphers', async () => {
    const legacy = await handshake(legacyPort, {});
    assert.ok(!(legacy instanceof Error), legacy instanceof Error ? legacy.message : '');
    assert.equal(legacy.protocol, 'TLSv1.2');
    assert.match(legacy.cipher, /AES256-GCM-SHA384/);
  });

  it('rejects a reload whose tls.protocols names an unknown version, naming the field, and keeps serving', async () => {
    const document = { server: { listen: [{ port: legacyPort, tls: { protocols: ['SSLv3'] } }] }, routes: [] };
    const url = `data:application/json;base64,${Buffer.from(JSON.stringify(document)).toString('base64')}`;
    await gateway.writeConfig(serviceConfiguration([{ name: 'standalone', configuration: { url } }], 'http://127.0.0.1:1'));
    gateway.process.signal('SIGHUP');
    const deadline = Date.now() + 10_000;
    while (!/server\.listen\[0\]\.tls\.protocols/.test(gateway.logs())) {
      assert.ok(Date.now() < deadline, `no error naming the field was logged:\n${gateway.logs().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const modern = await handshake(modernPort, {});
    assert.ok(!(modern instanceof Error), 'the last good configuration keeps its listeners');
  });
});
