import assert from 'node:assert/strict';
import { createSecureServer, type Http2SecureServer, type IncomingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { parseUpstream } from '../../src/upstream/upstream.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';
import { freePort } from '../../../test/support/ports.js';
import { forwardHttp2, Http2Sessions } from './http2-forward.js';

/** gRPC message framing: 1 byte compressed flag, 4 bytes big-endian length, payload. */
function grpcFrame(payload: string): Buffer {
  const body = Buffer.from(payload);
  const frame = Buffer.alloc(5 + body.length);
  frame.writeUInt32BE(body.length, 1);
  body.copy(frame, 5);
  return frame;
}

describe('grpc: HTTP/2 over TLS to the upstream (policies.md §5.12)', () => {
  const sessions = new Http2Sessions();
  let server: Http2SecureServer;
  let port: number;
  const received: { headers: IncomingHttpHeaders; body: Buffer }[] = [];

  before(async () => {
    const tls = await tlsMaterial();
    server = createSecureServer({ cert: tls.server.cert, key: tls.server.key, allowHTTP1: false });
    server.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const body = Buffer.concat(chunks);
        received.push({ headers, body });
        const name = body.subarray(5).toString();
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => {
          stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': 'OK' });
        });
        stream.end(grpcFrame(`Hello ${name}`));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    sessions.close();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  });

  it('makes a unary gRPC call and relays body and grpc-status trailers, without the gateway headers', async () => {
    const tls = await tlsMaterial();
    const response = await forwardHttp2(
      {
        upstream: parseUpstream(`https://localhost:${port}`),
        method: 'POST',
        target: '/helloworld.Greeter/SayHello',
        headers: [
          ['content-type', 'application/grpc'],
          ['te', 'trailers'],
          ['x-real-ip', '1.2.3.4'],
          ['x-3scale-grpc-secret-token', 's'],
          ['authorization', 'Bearer t'],
        ],
        body: grpcFrame('world'),
        tls: { rejectUnauthorized: true, ca: tls.ca.cert },
      },
      sessions,
    );
    assert.equal(response.status, 200);
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).subarray(5).toString(), 'Hello world');
    assert.deepEqual(await response.trailers, { 'grpc-status': '0', 'grpc-message': 'OK' });
    const upstreamSaw = received.at(-1)!.headers;
    assert.equal(upstreamSaw[':path'], '/helloworld.Greeter/SayHello');
    assert.equal(upstreamSaw['authorization'], 'Bearer t');
    assert.equal(upstreamSaw['x-real-ip'], undefined);
    assert.equal(upstreamSaw['x-3scale-grpc-secret-token'], undefined);
  });

  it('reuses one HTTP/2 session for consecutive calls', async () => {
    const tls = await tlsMaterial();
    let opened = 0;
    server.on('session', () => opened++);
    for (const name of ['a', 'b']) {
      const response = await forwardHttp2(
        {
          upstream: parseUpstream(`https://localhost:${port}`),
          method: 'POST',
          target: '/x/Y',
          headers: [['content-type', 'application/grpc']],
          body: grpcFrame(name),
          tls: { rejectUnauthorized: true, ca: tls.ca.cert },
        },
        sessions,
      );
      for await (const _chunk of response.body) {
        /* drain */
      }
    }
    assert.ok(opened <= 1, `${opened} TLS sessions opened for two calls`);
  });

  it('rejects when the upstream certificate is not trusted or nobody listens', async () => {
    await assert.rejects(
      forwardHttp2(
        {
          upstream: parseUpstream(`https://127.0.0.1:${port}`),
          method: 'POST',
          target: '/x',
          headers: [],
          body: undefined,
          tls: { rejectUnauthorized: true },
        },
        sessions,
      ),
    );
    const closed = await freePort();
    await assert.rejects(
      forwardHttp2(
        { upstream: parseUpstream(`https://127.0.0.1:${closed}`), method: 'POST', target: '/x', headers: [], body: undefined },
        sessions,
      ),
    );
  });
});
