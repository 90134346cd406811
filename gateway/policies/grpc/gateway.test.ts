/**
 * gRPC through the real gateway: an HTTP/2 client on the HTTPS listener, the
 * grpc policy, and an HTTP/2-over-TLS upstream answering with trailers. The
 * client must get the upstream's body and its `grpc-status` trailers.
 */
import assert from 'node:assert/strict';
import { connect, createSecureServer, type Http2SecureServer, type IncomingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { startGateway, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';
import { ForwardProxy } from '../../test-support/forward-proxy.js';
import { stopAll } from '../../test-support/teardown.js';

function grpcFrame(payload: string): Buffer {
  const body = Buffer.from(payload);
  const frame = Buffer.alloc(5 + body.length);
  frame.writeUInt32BE(body.length, 1);
  body.copy(frame, 5);
  return frame;
}

interface GrpcAnswer {
  headers: IncomingHttpHeaders;
  trailers: IncomingHttpHeaders;
  body: Buffer;
}

function call(port: number, authority: string, path: string, message: string): Promise<GrpcAnswer> {
  return new Promise((resolve, reject) => {
    const session = connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      ':authority': authority,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    let headers: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      headers = h;
    });
    stream.on('trailers', (t: IncomingHttpHeaders) => {
      trailers = t;
    });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      session.close();
      resolve({ headers, trailers, body: Buffer.concat(chunks) });
    });
    stream.on('error', reject);
    stream.end(grpcFrame(message));
  });
}

describe('grpc through the real gateway (HTTP/2 on the HTTPS listener, HTTP/2 + TLS upstream)', function () {
  this.timeout(60_000);
  let upstream: Http2SecureServer | undefined;
  let gateway: RunningGateway;
  let proxied: RunningGateway;
  let proxy: ForwardProxy;
  const seen: IncomingHttpHeaders[] = [];

  before(async () => {
    const tls = await tlsMaterial();
    upstream = createSecureServer({ cert: tls.server.cert, key: tls.server.key, allowHTTP1: false });
    upstream.on('stream', (stream, headers) => {
      seen.push(headers);
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const name = Buffer.concat(chunks).subarray(5).toString();
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        const failing = headers[':path'] === '/helloworld.Greeter/Fail';
        stream.on('wantTrailers', () => {
          stream.sendTrailers(failing ? { 'grpc-status': '5', 'grpc-message': 'not found' } : { 'grpc-status': '0', 'grpc-message': 'OK' });
        });
        stream.end(failing ? Buffer.alloc(0) : grpcFrame(`Hello ${name}`));
      });
    });
    await new Promise<void>((resolve) => upstream!.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `https://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const configuration = (chain: unknown[]) => ({
      services: [
        { id: 7, backend_version: '1', proxy: { hosts: ['grpc.test'], api_backend: upstreamUrl, proxy_rules: [], policy_chain: chain } },
      ],
    });
    const upstreamRule = { name: 'upstream', configuration: { rules: [{ regex: '/', url: upstreamUrl }] } };
    gateway = await startGateway(configuration([{ name: 'grpc' }, upstreamRule]), { https: true });
    proxy = await new ForwardProxy().start();
    proxied = await startGateway(
      configuration([{ name: 'grpc' }, { name: 'http_proxy', configuration: { https_proxy: proxy.url } }, upstreamRule]),
      { https: true },
    );
  });
  after(async () => {
    await stopAll(gateway, proxied, proxy);
    upstream?.close();
  });

  it('relays a unary call: body, then the grpc-status trailers', async () => {
    const answer = await call(gateway.httpsPort!, 'grpc.test', '/helloworld.Greeter/SayHello', 'world');
    assert.equal(answer.headers[':status'], 200);
    assert.equal(answer.headers['content-type'], 'application/grpc');
    assert.equal(answer.body.subarray(5).toString(), 'Hello world');
    assert.equal(answer.trailers['grpc-status'], '0');
    assert.equal(answer.trailers['grpc-message'], 'OK');
    const last = seen.at(-1)!;
    assert.equal(last[':path'], '/helloworld.Greeter/SayHello');
    assert.equal(last['x-real-ip'], undefined, 'gateway-only headers do not reach a gRPC upstream');
  });

  it('relays an error status from the trailers', async () => {
    const answer = await call(gateway.httpsPort!, 'grpc.test', '/helloworld.Greeter/Fail', 'x');
    assert.equal(answer.trailers['grpc-status'], '5');
    assert.equal(answer.trailers['grpc-message'], 'not found');
  });

  it('through a forward proxy: HTTP/2 with TLS inside one CONNECT tunnel, reused by the next call', async () => {
    const before = proxy.requests.length;
    const first = await call(proxied.httpsPort!, 'grpc.test', '/helloworld.Greeter/SayHello', 'proxy');
    const second = await call(proxied.httpsPort!, 'grpc.test', '/helloworld.Greeter/SayHello', 'again');
    assert.equal(first.body.subarray(5).toString(), 'Hello proxy');
    assert.equal(second.body.subarray(5).toString(), 'Hello again');
    assert.equal(second.trailers['grpc-status'], '0');
    const upstreamAuthority = `127.0.0.1:${(upstream!.address() as AddressInfo).port}`;
    assert.deepEqual(
      proxy.requests.slice(before),
      [{ method: 'CONNECT', target: upstreamAuthority }],
      'one tunnel, one HTTP/2 session for both calls',
    );
  });
});
