/**
 * The upstream half of the grpc policy (policies.md §5.12): forwards one
 * request over HTTP/2 with TLS (grpcs) and hands back status, headers, a
 * streaming body and the trailers (gRPC puts `grpc-status` there). One
 * HTTP/2 session per upstream origin and TLS settings is reused, as nginx's
 * grpc_pass keeps its connections. X-Real-IP, Host, X-3scale-grpc-secret-token
 * and X-3scale-debug never go upstream; `:authority` is the upstream host.
 */
import { connect, constants, type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import { materialDigest } from '../../src/shared/tls/material-digest.js';
import { isIP, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { Upstream } from '../../src/upstream/upstream.js';

export interface Http2ForwardRequest {
  upstream: Upstream;
  method: string;
  /** Path and query sent as `:path`. */
  target: string;
  headers: [string, string][];
  body: Buffer | Readable | undefined;
  tls?: { rejectUnauthorized: boolean; ca?: string; cert?: string; key?: string; servername?: string };
  timeoutMs?: number;
  /**
   * Through a forward proxy: `open` gives the TLS socket to the upstream inside a CONNECT tunnel (ALPN h2);
   * `via` names the proxy in the session key, so direct and proxied sessions are never mixed.
   */
  connection?: { via: string; open: () => Promise<Socket> };
}

export interface Http2ForwardResponse {
  status: number;
  headers: [string, string][];
  body: AsyncIterable<Buffer>;
  /** Resolves when the stream ends, with the upstream's trailers ({} when none). */
  trailers: Promise<Record<string, string>>;
}

const DROPPED = new Set([
  'x-real-ip',
  'host',
  'x-3scale-grpc-secret-token',
  'x-3scale-debug',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

/** The HTTP/2 sessions of one gateway, by upstream origin and TLS settings; closed with the gateway. */
export class Http2Sessions {
  private readonly sessions = new Map<string, ClientHttp2Session>();

  async sessionFor(spec: Http2ForwardRequest): Promise<ClientHttp2Session> {
    const tls = spec.tls ?? { rejectUnauthorized: false };
    const key = `${spec.upstream.origin}|${spec.connection?.via ?? 'direct'}|${tls.rejectUnauthorized}|${tls.servername ?? ''}|${materialDigest(tls.ca)}|${materialDigest(tls.cert)}|${materialDigest(tls.key)}`;
    const existing = this.sessions.get(key);
    if (existing && !existing.closed && !existing.destroyed) return existing;
    const authority = `https://${spec.upstream.host.includes(':') ? `[${spec.upstream.host}]` : spec.upstream.host}:${spec.upstream.port}`;
    // grpc is always TLS to the upstream (grpcs), whatever scheme the URL names.
    const tunnelled = spec.connection ? await spec.connection.open() : undefined;
    const again = this.sessions.get(key);
    if (again && !again.closed && !again.destroyed) {
      tunnelled?.destroy();
      return again;
    }
    const session = tunnelled
      ? connect(authority, { createConnection: () => tunnelled })
      : connect(authority, {
          ...tls,
          // SNI carries host names only (RFC 6066).
          ...(isIP(tls.servername ?? spec.upstream.host) ? {} : { servername: tls.servername ?? spec.upstream.host }),
          ALPNProtocols: ['h2'],
        });
    const forget = (): void => {
      if (this.sessions.get(key) === session) this.sessions.delete(key);
    };
    session.on('error', forget);
    session.on('close', forget);
    session.unref();
    this.sessions.set(key, session);
    return session;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Closes every session (gateway stop). */
  close(): void {
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
  }
}

function flatten(headers: IncomingHttpHeaders): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push([name, v]);
  }
  return out;
}

/** Rejects on connection failure or timeout (the caller answers 502/504). */
export async function forwardHttp2(spec: Http2ForwardRequest, sessions: Http2Sessions): Promise<Http2ForwardResponse> {
  const outgoing: OutgoingHttpHeaders = {
    [constants.HTTP2_HEADER_METHOD]: spec.method,
    [constants.HTTP2_HEADER_PATH]: spec.target,
    [constants.HTTP2_HEADER_SCHEME]: 'https',
    [constants.HTTP2_HEADER_AUTHORITY]: spec.upstream.hostHeader ?? spec.upstream.host,
  };
  for (const [name, value] of spec.headers) {
    const lower = name.toLowerCase();
    if (DROPPED.has(lower)) continue;
    const previous = outgoing[lower];
    outgoing[lower] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [String(previous)]), value];
  }
  const session = await sessions.sessionFor(spec);
  return new Promise((resolve, reject) => {
    const stream = session.request(outgoing, { endStream: spec.body === undefined });
    stream.setTimeout(spec.timeoutMs ?? 60_000, () => {
      stream.close(constants.NGHTTP2_CANCEL);
    });
    let trailers: Record<string, string> = {};
    const ended = new Promise<Record<string, string>>((done) => {
      stream.on('trailers', (received: IncomingHttpHeaders) => {
        trailers = Object.fromEntries(flatten(received));
      });
      stream.on('close', () => {
        done(trailers);
      });
    });
    stream.on('response', (headers) => {
      resolve({ status: Number(headers[constants.HTTP2_HEADER_STATUS]), headers: flatten(headers), body: stream, trailers: ended });
    });
    stream.on('error', reject);
    stream.on('close', () => {
      reject(new Error(`upstream closed the HTTP/2 stream (code ${stream.rstCode})`));
    });
    if (Buffer.isBuffer(spec.body)) stream.end(spec.body);
    else if (spec.body) spec.body.pipe(stream);
  });
}
