/**
 * A per-request PolicyContext for unit tests of policy objects: real
 * HeaderMap and request fields, exits and proxy decisions recorded so tests
 * assert on what a user would get (status, body, headers, upstream).
 */
import { pino } from 'pino';
import { freshBalancerState, type ExitOptions, type PolicyContext, type ResponseState } from '../../src/chain/policy.js';
import type { GatewayRequest } from '../../src/http/request.js';
import { Args } from '../../src/http/args.js';
import { HeaderMap } from '../../src/http/header-map.js';
import type { Upstream } from '../../src/upstream/upstream.js';
import { parseSettings } from '../../src/settings.js';

export interface TestRequestInit {
  method?: string;
  path?: string;
  query?: string;
  headers?: Record<string, string | string[]>;
  clientAddress?: string;
  scheme?: 'http' | 'https';
  tlsClientCertificate?: string;
  /** Leaf first; defaults to [tlsClientCertificate] when that is set. */
  tlsClientCertificateChain?: string[];
  proxyProtocolAddress?: string;
  body?: string;
}

export interface TestContext extends PolicyContext {
  readonly exitedWith: { status: number; options: ExitOptions | undefined } | undefined;
  readonly proxiedTo: Upstream | undefined;
  readonly skippedPhase: boolean;
  /** Extra response headers added through addResponseHeader. */
  readonly addedHeaders: [string, string][];
}

class TestRequest implements GatewayRequest {
  readonly method: string;
  readonly httpVersion = '1.1';
  readonly rawTarget: string;
  readonly headers: HeaderMap;
  readonly clientAddress: string;
  readonly clientPort = 50000;
  readonly serverAddress = '127.0.0.1';
  readonly serverPort = 8080;
  readonly scheme: 'http' | 'https';
  readonly tlsClientCertificate: string | undefined;
  readonly proxyProtocolAddress: string | undefined;
  readonly tlsClientCertificateChain: readonly string[] | undefined;
  rewritten = false;
  private currentPath: string;
  private currentQuery: string;
  private body: Buffer;

  constructor(init: TestRequestInit) {
    this.method = init.method ?? 'GET';
    this.currentPath = init.path ?? '/';
    this.currentQuery = init.query ?? '';
    this.rawTarget = this.currentPath + (this.currentQuery ? `?${this.currentQuery}` : '');
    this.headers = HeaderMap.fromObject(init.headers ?? {});
    this.clientAddress = init.clientAddress ?? '127.0.0.1';
    this.scheme = init.scheme ?? 'http';
    this.tlsClientCertificate = init.tlsClientCertificate;
    this.proxyProtocolAddress = init.proxyProtocolAddress;
    this.tlsClientCertificateChain =
      init.tlsClientCertificateChain ?? (init.tlsClientCertificate ? [init.tlsClientCertificate] : undefined);
    this.body = Buffer.from(init.body ?? '');
  }

  get path(): string {
    return this.currentPath;
  }
  set path(value: string) {
    this.currentPath = value;
    this.rewritten = true;
  }
  get query(): string {
    return this.currentQuery;
  }
  set query(value: string) {
    this.currentQuery = value;
    this.rewritten = true;
  }
  args(): Args {
    return Args.parse(this.currentQuery);
  }
  setArgs(args: Args): void {
    this.query = args.toString();
  }
  get hasBody(): boolean {
    return this.body.length > 0;
  }
  readBody(): Promise<Buffer> {
    return Promise.resolve(this.body);
  }
  setBody(body: Buffer | string): void {
    this.body = Buffer.from(body);
  }
  formArgs(): Promise<Args> {
    return Promise.resolve(Args.parse(this.body.toString('latin1')));
  }
}

/** `exports` plays the chain exports layer under the request-local `shared` writes. */
export function testContext(init: TestRequestInit = {}, exports: Record<string, unknown> = {}): TestContext {
  const request = new TestRequest(init);
  const response: ResponseState = {
    status: 200,
    headers: new HeaderMap(),
    headersSent: false,
    finished: false,
    bytesSent: 0,
    bodyRewritten: false,
    rewritesBody() {
      (this as { bodyRewritten: boolean }).bodyRewritten = true;
    },
  };
  let exitedWith: TestContext['exitedWith'];
  let proxiedTo: Upstream | undefined;
  let skippedPhase = false;
  const addedHeaders: [string, string][] = [];
  const shared = Object.create(exports) as Record<string, unknown>;
  const ctx = {
    requestId: '0123456789abcdef0123456789abcdef',
    settings: parseSettings({}),
    log: pino({ level: 'silent' }),
    request,
    response,
    originalRequest: {
      method: request.method,
      host: 'localhost',
      path: request.path,
      query: request.query,
      uri: request.rawTarget,
      headers: request.headers.toObject(),
      serverAddress: '127.0.0.1',
    },
    startedAt: performance.now(),
    host: 'localhost',
    // Not used by the policies tested with this context.
    configuration: undefined as unknown as PolicyContext['configuration'],
    service: undefined,
    usage: undefined,
    extractedCredentials: undefined,
    credentials: undefined,
    jwt: undefined,
    ttl: undefined,
    routeUpstream: undefined,
    skipApicastAccess: false,
    extraBackendParams: new Map<string, string>(),
    balancer: freshBalancerState(),
    upstreamStatus: undefined,
    upstreamResponseTime: undefined,
    shared,
    getUpstream: () => undefined,
    getUri: () => request.path,
    exit(status: number, options?: ExitOptions) {
      exitedWith = { status, options };
      response.status = status;
      for (const [name, value] of Object.entries(options?.headers ?? {})) response.headers.set(name, value);
    },
    skipPhase() {
      skippedPhase = true;
    },
    proxyPass(upstream: Upstream) {
      proxiedTo = upstream;
    },
    addResponseHeader(name: string, value: string) {
      addedHeaders.push([name, value]);
    },
    get contentDecided() {
      return exitedWith !== undefined || proxiedTo !== undefined;
    },
    get exited() {
      return exitedWith !== undefined;
    },
    finished: Promise.resolve(),
    aborted: false,
    get exitedWith() {
      return exitedWith;
    },
    get proxiedTo() {
      return proxiedTo;
    },
    get skippedPhase() {
      return skippedPhase;
    },
    addedHeaders,
  };
  return ctx;
}
