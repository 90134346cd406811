/**
 * PROXY protocol on the listeners: the header parser, then the real gateway
 * with APICAST_HTTP_PROXY_PROTOCOL / APICAST_HTTPS_PROXY_PROTOCOL and an
 * ip_check policy reading `proxy_protocol_addr`, driven over raw sockets as a
 * load balancer would.
 */
import assert from 'node:assert/strict';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { startGateway, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { parseProxyHeader } from './proxy-protocol.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

function v2Header(address: [number, number, number, number], port: number): Buffer {
  const header = Buffer.alloc(16 + 12);
  Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]).copy(header);
  header[12] = 0x21; // v2, PROXY
  header[13] = 0x11; // AF_INET, STREAM
  header.writeUInt16BE(12, 14);
  Buffer.from(address).copy(header, 16);
  Buffer.from([127, 0, 0, 1]).copy(header, 20);
  header.writeUInt16BE(port, 24);
  header.writeUInt16BE(8080, 26);
  return header;
}

/** Sends raw bytes, returns everything the gateway answered before closing. */
function exchange(socket: Socket, payload: Buffer | string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    socket.on('data', (d: Buffer) => {
      answer += d.toString('latin1');
    });
    socket.on('close', () => {
      resolve(answer);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET') resolve(answer);
      else reject(err);
    });
    socket.setTimeout(10_000, () => socket.destroy());
    socket.write(payload);
  });
}

const REQUEST = 'GET /x HTTP/1.1\r\nHost: pp.test\r\nConnection: close\r\n\r\n';

describe('PROXY protocol header parser', () => {
  it('reads v1 TCP4/TCP6/UNKNOWN lines and v2 IPv4 headers, with their length', () => {
    assert.deepEqual(parseProxyHeader(Buffer.from('PROXY TCP4 203.0.113.7 10.0.0.1 5555 80\r\nGET')), {
      kind: 'ok',
      length: 41,
      source: { address: '203.0.113.7', port: 5555 },
    });
    assert.deepEqual(parseProxyHeader(Buffer.from('PROXY TCP6 2001:db8::1 ::1 6000 443\r\n')), {
      kind: 'ok',
      length: 37,
      source: { address: '2001:db8::1', port: 6000 },
    });
    assert.deepEqual(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\n')), { kind: 'ok', length: 15, source: undefined });
    assert.deepEqual(parseProxyHeader(v2Header([198, 51, 100, 9], 4444)), {
      kind: 'ok',
      length: 28,
      source: { address: '198.51.100.9', port: 4444 },
    });
  });
  it('waits for more bytes, and refuses anything that is not a PROXY header', () => {
    assert.equal(parseProxyHeader(Buffer.from('PROX')).kind, 'incomplete');
    assert.equal(parseProxyHeader(Buffer.from('PROXY TCP4 1.2.3.4')).kind, 'incomplete');
    assert.equal(parseProxyHeader(v2Header([1, 2, 3, 4], 1).subarray(0, 20)).kind, 'incomplete');
    assert.equal(parseProxyHeader(Buffer.from('GET / HTTP/1.1\r\n')).kind, 'invalid');
    assert.equal(parseProxyHeader(Buffer.from('PROXY TCP4 1.2.3.4 5.6.7.8 99999 80\r\n')).kind, 'invalid');
    assert.equal(parseProxyHeader(Buffer.from(`PROXY ${'x'.repeat(120)}`)).kind, 'invalid');
  });
});

describe('PROXY protocol through the real gateway (ip_check proxy_protocol_addr)', function () {
  this.timeout(60_000);
  let upstream: UpstreamServer;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startUpstream();
    gateway = await startGateway(
      {
        services: [
          {
            id: 1,
            backend_version: '1',
            proxy: {
              hosts: ['pp.test'],
              api_backend: upstream.url,
              proxy_rules: [],
              policy_chain: [
                {
                  name: 'ip_check',
                  configuration: { check_type: 'blacklist', ips: ['203.0.113.0/24'], client_ip_sources: ['proxy_protocol_addr'] },
                },
                { name: 'upstream', configuration: { rules: [{ regex: '/', url: upstream.url }] } },
              ],
            },
          },
        ],
      },
      { https: true, env: { APICAST_HTTP_PROXY_PROTOCOL: 'true', APICAST_HTTPS_PROXY_PROTOCOL: 'true' } },
    );
  });
  after(async () => {
    await stopAll(gateway);
    await closeAll(upstream);
  });

  it('v1 header: the source address is the client ip_check sees (denied, then allowed)', async () => {
    const denied = await exchange(
      netConnect(gateway.port, '127.0.0.1'),
      `PROXY TCP4 203.0.113.7 127.0.0.1 5555 ${gateway.port}\r\n${REQUEST}`,
    );
    assert.match(denied, /^HTTP\/1\.1 403 /);
    assert.match(denied, /IP address not allowed/);
    const allowed = await exchange(
      netConnect(gateway.port, '127.0.0.1'),
      `PROXY TCP4 192.0.2.1 127.0.0.1 5555 ${gateway.port}\r\n${REQUEST}`,
    );
    assert.match(allowed, /^HTTP\/1\.1 200 /);
  });

  it('v2 binary header works the same', async () => {
    const denied = await exchange(
      netConnect(gateway.port, '127.0.0.1'),
      Buffer.concat([v2Header([203, 0, 113, 50], 4000), Buffer.from(REQUEST)]),
    );
    assert.match(denied, /^HTTP\/1\.1 403 /);
  });

  it('a connection without the header is closed without an answer', async () => {
    const answer = await exchange(netConnect(gateway.port, '127.0.0.1'), REQUEST);
    assert.equal(answer, '');
  });

  it('HTTPS listener: the header precedes the TLS handshake', async () => {
    const raw = netConnect(gateway.httpsPort!, '127.0.0.1');
    await new Promise<void>((resolve) =>
      raw.once('connect', () => {
        resolve();
      }),
    );
    raw.write(`PROXY TCP4 203.0.113.9 127.0.0.1 6000 ${gateway.httpsPort}\r\n`);
    const secure = tlsConnect({ socket: raw, rejectUnauthorized: false, servername: 'pp.test', ALPNProtocols: ['http/1.1'] });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => {
        resolve();
      });
      secure.once('error', reject);
    });
    const answer = await exchange(secure, REQUEST);
    assert.match(answer, /^HTTP\/1\.1 403 /);
  });
});
