/**
 * The per-request PolicyContext implementation. Holds the control state the
 * engine reads after each handler (exit, skip-phase, content decision).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Settings } from '../settings.js';
import type { CompiledService } from '../config/compiled.js';
import type { ConfigurationView } from '../config/store.js';
import { HeaderMap } from '../http/header-map.js';
import type { IncomingRequest } from '../http/request.js';
import { requestHost } from '../http/host.js';
import type { Usage } from '../mapping/usage.js';
import type { Upstream } from '../upstream/upstream.js';
import type { Credentials } from '../credentials/credentials.js';
import type { RequestTrace } from '../tracing/tracer.js';
import {
  freshBalancerState,
  type BalancerState,
  type ExitOptions,
  type OriginalRequest,
  type PolicyContext,
  type ResponseState,
} from './policy.js';

export interface ExitDecision {
  status: number;
  body: string | Buffer | undefined;
  headers: Record<string, string | string[]> | undefined;
}

class MutableResponse implements ResponseState {
  status = 200;
  readonly headers = new HeaderMap();
  headersSent = false;
  finished = false;
  bytesSent = 0;
  bodyRewritten = false;
  rewritesBody(): void {
    this.bodyRewritten = true;
  }
}

export class RequestContext implements PolicyContext {
  private id: string | undefined;
  /** 32 hex characters, generated on first use. */
  get requestId(): string {
    this.id ??= randomBytes(16).toString('hex');
    return this.id;
  }
  readonly response = new MutableResponse();
  readonly originalRequest: OriginalRequest;
  readonly startedAt = performance.now();
  private requestLog: Logger | undefined;

  host = '';
  service: CompiledService | undefined;
  usage: Usage | undefined;
  extractedCredentials: Credentials | undefined;
  credentials: Credentials | undefined;
  jwt: Record<string, unknown> | undefined;
  ttl: number | undefined;
  routeUpstream: Upstream | undefined;
  skipApicastAccess = false;
  readonly extraBackendParams = new Map<string, string>();
  readonly balancer: BalancerState = freshBalancerState();
  upstreamStatus: number | undefined;
  upstreamResponseTime: number | undefined;
  shared: Record<string, unknown> = {};
  /** The request's server span when tracing is on (gateway.md §7.1); the upstream proxy propagates it. */
  trace: RequestTrace | undefined;

  /** Headers added with addResponseHeader, applied to whatever response is produced. */
  readonly extraResponseHeaders: [string, string][] = [];
  exitDecision: ExitDecision | undefined;
  proxyTarget: Upstream | undefined;
  phaseSkipped = false;
  private isAborted = false;
  postActionSeconds = 0;
  private resolveFinished!: () => void;
  readonly finished = new Promise<void>((resolve) => {
    this.resolveFinished = resolve;
  });

  private readonly baseLog: Logger;

  /** Child logger with the request id, created on first use (most requests never log). */
  get log(): Logger {
    this.requestLog ??= this.baseLog.child({ requestID: this.requestId });
    return this.requestLog;
  }

  constructor(
    readonly request: IncomingRequest,
    readonly settings: Settings,
    readonly configuration: ConfigurationView,
    log: Logger,
  ) {
    this.baseLog = log;
    this.host = requestHost(request.headers.get('host'));
    this.originalRequest = {
      method: request.method,
      host: this.host,
      path: request.path,
      query: request.query,
      uri: request.rawTarget,
      headers: request.incoming.headers,
      serverAddress: request.serverAddress,
    };
  }

  /** Sets the exports layering of ctx.shared (request-local → service exports → global exports). */
  useExports(layer: object): void {
    this.shared = Object.create(layer) as Record<string, unknown>;
  }

  getUpstream(): Upstream | undefined {
    return this.service?.apiBackend;
  }

  getUri(): string {
    return this.routeUpstream ? (this.routeUpstream.path ?? '/') : this.request.path;
  }

  exit(status: number, options: ExitOptions = {}): void {
    if (status === 0) {
      this.skipPhase();
      return;
    }
    this.exitDecision = { status, body: options.body, headers: options.headers };
  }

  skipPhase(): void {
    this.phaseSkipped = true;
  }

  proxyPass(upstream: Upstream): void {
    this.proxyTarget = upstream;
  }

  addResponseHeader(name: string, value: string): void {
    this.extraResponseHeaders.push([name, value]);
  }

  get exited(): boolean {
    return this.exitDecision !== undefined;
  }
  get contentDecided(): boolean {
    return this.exitDecision !== undefined || this.proxyTarget !== undefined;
  }
  get aborted(): boolean {
    return this.isAborted;
  }

  /** Runner: a new phase starts, skip-phase applies to one phase only. */
  beginPhase(): void {
    this.phaseSkipped = false;
  }

  markAborted(): void {
    this.isAborted = true;
    this.resolveFinished();
  }
  markFinished(): void {
    this.response.finished = true;
    this.resolveFinished();
  }
}
