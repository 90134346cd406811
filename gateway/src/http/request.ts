/**
 * The request as policies see it (policies.md §3.6): mutable path, query and
 * headers; a body that streams to the upstream unless a policy buffers it.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { Readable } from 'node:stream';
import { Args } from './args.js';
import { HeaderMap } from './header-map.js';
import { normalizePath, splitTarget } from './uri.js';
import { proxyProtocolAddressOf } from '../net/proxy-protocol.js';

/** Bodies up to this size are read for form arguments; larger ones are left streaming (nginx spills them to disk). */
export const FORM_BODY_LIMIT = 1024 * 1024;

/**
 * The `name` of the declared listener (e.g. standalone `server.listen[].name`)
 * a request arrived on; set by that listener's request handler. The main
 * APICAST_HTTP(S)_PORT listeners have no name.
 */
export const listenerNames = new WeakMap<IncomingMessage, string>();

export interface GatewayRequest {
  readonly method: string;
  readonly httpVersion: string;
  /** Request target exactly as received. */
  readonly rawTarget: string;
  /** Decoded, normalized path ($uri). Assign to rewrite it. */
  path: string;
  /** Raw query string without '?' ('' when none). Assign to rewrite it. */
  query: string;
  /** True once a policy changed path or query (the target is then rebuilt instead of forwarded verbatim). */
  readonly rewritten: boolean;
  /** Request headers, mutable (what the upstream receives). */
  readonly headers: HeaderMap;
  /** Parsed current query (a fresh copy; write changes back with setArgs). */
  args(): Args;
  setArgs(args: Args): void;
  readonly clientAddress: string;
  readonly clientPort: number;
  readonly serverAddress: string;
  readonly serverPort: number;
  /** Name of the declared listener the request came in on (standalone `server_port` matches it). */
  readonly listenerName?: string | undefined;
  readonly scheme: 'http' | 'https';
  /** PEM of the TLS client certificate, when one was presented. */
  readonly tlsClientCertificate: string | undefined;
  /**
   * PEMs of the certificates the TLS client sent, leaf first, then the
   * intermediates it presented (in issuer order); undefined without a client certificate.
   */
  readonly tlsClientCertificateChain: readonly string[] | undefined;
  /** Client address from the PROXY protocol header (APICAST_HTTP(S)_PROXY_PROTOCOL), if the listener requires one. */
  readonly proxyProtocolAddress: string | undefined;
  /** True when the request announces a body (Content-Length > 0 or chunked). */
  readonly hasBody: boolean;
  /** Reads the whole body into memory (once); the upstream then receives this buffer. */
  readBody(): Promise<Buffer>;
  /** Replaces the body sent upstream (Content-Length is adjusted). */
  setBody(body: Buffer | string): void;
  /**
   * The body parsed as application/x-www-form-urlencoded whatever the
   * Content-Type, without consuming it for the upstream. Empty when there is
   * no body or it is larger than FORM_BODY_LIMIT / of unknown length.
   */
  formArgs(): Promise<Args>;
}

function unmapIpv4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** One certificate of the chain getPeerCertificate(true) links through issuerCertificate. */
interface PeerChainLink {
  raw?: Buffer;
  fingerprint256: string;
  issuerCertificate?: PeerChainLink;
}

export class IncomingRequest implements GatewayRequest {
  readonly method: string;
  readonly httpVersion: string;
  readonly rawTarget: string;
  readonly headers: HeaderMap;
  private currentPath: string;
  private currentQuery: string;
  private changed = false;
  private bufferedBody: Buffer | undefined;
  private bodyRead: Promise<Buffer> | undefined;
  private parsedForm: Promise<Args> | undefined;

  constructor(
    readonly incoming: IncomingMessage,
    readonly scheme: 'http' | 'https' = 'http',
  ) {
    this.method = incoming.method ?? 'GET';
    this.httpVersion = incoming.httpVersion;
    this.rawTarget = incoming.url ?? '/';
    this.headers = HeaderMap.fromRaw(incoming.rawHeaders);
    const { path, query } = splitTarget(this.rawTarget);
    this.currentPath = normalizePath(path);
    this.currentQuery = query;
  }

  get path(): string {
    return this.currentPath;
  }
  set path(value: string) {
    this.currentPath = value;
    this.changed = true;
  }
  get query(): string {
    return this.currentQuery;
  }
  set query(value: string) {
    this.currentQuery = value;
    this.changed = true;
  }
  get rewritten(): boolean {
    return this.changed;
  }

  args(): Args {
    return Args.parse(this.currentQuery);
  }
  setArgs(args: Args): void {
    this.query = args.toString();
  }

  /** IPv4 clients of a dual-stack listener show as ::ffff:a.b.c.d; report them as nginx does (a.b.c.d). */
  get clientAddress(): string {
    return unmapIpv4(this.incoming.socket.remoteAddress ?? '');
  }
  get clientPort(): number {
    return this.incoming.socket.remotePort ?? 0;
  }
  get serverAddress(): string {
    return unmapIpv4(this.incoming.socket.localAddress ?? '');
  }
  get serverPort(): number {
    return this.incoming.socket.localPort ?? 0;
  }
  get listenerName(): string | undefined {
    return listenerNames.get(this.incoming);
  }

  get proxyProtocolAddress(): string | undefined {
    return proxyProtocolAddressOf(this.incoming.socket)?.address;
  }

  get tlsClientCertificate(): string | undefined {
    const socket = this.incoming.socket as Partial<TLSSocket>;
    if (typeof socket.getPeerX509Certificate !== 'function') return undefined;
    return socket.getPeerX509Certificate()?.toString();
  }

  get tlsClientCertificateChain(): readonly string[] | undefined {
    const socket = this.incoming.socket as Partial<TLSSocket>;
    if (typeof socket.getPeerCertificate !== 'function') return undefined;
    // What the socket really answers: null once destroyed, {} (no raw) without a client certificate,
    // and no issuerCertificate where the chain the peer sent ends.
    let current = socket.getPeerCertificate(true) as PeerChainLink | null | undefined;
    if (!current?.raw) return undefined;
    const chain: string[] = [];
    const seen = new Set<string>();
    // issuerCertificate links what the peer sent; a self-signed end points at itself.
    while (current?.raw && !seen.has(current.fingerprint256) && chain.length < 10) {
      seen.add(current.fingerprint256);
      chain.push(new X509Certificate(current.raw).toString());
      current = current.issuerCertificate;
    }
    return chain;
  }

  get hasBody(): boolean {
    if (this.bufferedBody) return this.bufferedBody.length > 0;
    const length = this.incoming.headers['content-length'];
    if (length !== undefined) return Number(length) > 0;
    // HTTP/2 has no Transfer-Encoding: a body exists unless the HEADERS frame ended the stream.
    if (this.incoming.httpVersionMajor === 2)
      return (this.incoming as { stream?: { endAfterHeaders?: boolean } }).stream?.endAfterHeaders === false;
    return this.incoming.headers['transfer-encoding'] !== undefined;
  }

  /** Body as already buffered/replaced, if any. */
  get body(): Buffer | undefined {
    return this.bufferedBody;
  }

  readBody(): Promise<Buffer> {
    if (this.bufferedBody) return Promise.resolve(this.bufferedBody);
    this.bodyRead ??= new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      this.incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      this.incoming.on('end', () => {
        this.bufferedBody = Buffer.concat(chunks);
        resolve(this.bufferedBody);
      });
      this.incoming.on('error', reject);
    });
    return this.bodyRead;
  }

  setBody(body: Buffer | string): void {
    this.bufferedBody = typeof body === 'string' ? Buffer.from(body) : body;
    if (!this.bodyRead) {
      // The client's body is replaced: drain it so the connection stays usable.
      this.bodyRead = Promise.resolve(this.bufferedBody);
      this.incoming.resume();
    }
    this.headers.delete('transfer-encoding');
    this.headers.set('Content-Length', String(this.bufferedBody.length));
  }

  formArgs(): Promise<Args> {
    this.parsedForm ??= (async () => {
      if (this.bufferedBody) return Args.parse(this.bufferedBody.toString('utf8'));
      const length = Number(this.incoming.headers['content-length'] ?? NaN);
      if (!Number.isFinite(length) || length <= 0 || length > FORM_BODY_LIMIT) return new Args();
      const body = await this.readBody();
      return Args.parse(body.toString('utf8'));
    })();
    return this.parsedForm;
  }

  /** What the proxy sends upstream: the buffered body, the live stream, or nothing. */
  bodyForUpstream(): Buffer | Readable | undefined {
    if (this.bufferedBody) return this.bufferedBody;
    if (this.bodyRead) return undefined; // being buffered: use upstreamBody()
    return this.hasBody ? this.incoming : undefined;
  }

  /** Like bodyForUpstream, but waits for a buffering a policy started without awaiting it. */
  async upstreamBody(): Promise<Buffer | Readable | undefined> {
    if (!this.bufferedBody && this.bodyRead) return this.bodyRead;
    return this.bodyForUpstream();
  }
}
