/**
 * 3scale Service Management API client (gateway.md §4.6): authrep,
 * oauth_authrep, authorize, report. Keep-alive pools per backend origin,
 * never retried, status 0 when no answer came. The query carries secrets:
 * only redacted URLs are logged.
 */
import { keepaliveRequestOptions } from '../net/keepalive-requests.js';
import { readFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { Pool } from 'undici';
import { directOutbound, type Outbound } from '../net/outbound.js';
import type { Logger } from 'pino';
import type { Settings } from '../settings.js';
import type { CompiledService } from '../config/compiled.js';
import type { Usage } from '../mapping/usage.js';
import { credentialParams, type Credentials } from '../credentials/credentials.js';
import { noopHooks, type BackendEndpoint, type GatewayHooks } from '../telemetry/hooks.js';
import { DEFAULT_CREDENTIAL_PARAMS, redactQuery } from '../logging/redact.js';
import { exchange, isResetBeforeResponse } from './dispatch.js';
import type { GatewayTracer, RequestTrace } from '../tracing/tracer.js';

export interface BackendResponse {
  /** HTTP status; 0 when the backend could not be reached. */
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  /** Network error message when status is 0. */
  readonly error?: string;
}

export interface AuthrepRequest {
  usage: Usage;
  credentials: Credentials;
  /** Extra params (log[code], referrer, …), already decoded. */
  extra?: Iterable<[string, string]>;
  /** The request this call is made for (the parent of its span); none for calls of no request. */
  trace?: RequestTrace | undefined;
}

function gatewayVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** gateway.md §4.6: no explicit backend timeouts, the platform default of 60 s. */
const BACKEND_TIMEOUT_MS = 60_000;

const SECRET_PARAMS = ['service_token', 'provider_key', ...DEFAULT_CREDENTIAL_PARAMS];

/** A backend call gives up after nginx's default socket timeout, which APIcast's backend calls inherit. */
const CALL_TIMEOUT_MS = 60_000;
/**
 * At drain, reports still in flight get this long to finish, then are cut:
 * a hanging backend never holds a draining gateway beyond it.
 */
export const DRAIN_GRACE_MS = 5_000;

export class BackendClient {
  private readonly pools = new Map<string, Pool>();
  private readonly userAgent: string;

  constructor(
    private readonly settings: Settings,
    private readonly log: Logger,
    private readonly hooks: GatewayHooks = noopHooks,
    private readonly outbound: Outbound = directOutbound,
    private readonly tracer?: GatewayTracer,
  ) {
    this.userAgent = `APIcast/${gatewayVersion()} (${platform()}; ${arch()}; env:${settings.deploymentEnv || 'unknown'}) APIcast/builtin`;
  }

  /** Common query head: auth param, service_id. */
  private baseParams(service: CompiledService): string {
    const parts: string[] = [];
    const auth = service.backend.authentication;
    if (auth) parts.push(`${encodeURIComponent(auth.type)}=${encodeURIComponent(auth.value)}`);
    parts.push(`service_id=${encodeURIComponent(service.id)}`);
    return parts.join('&');
  }

  /** authrep.xml (keys) or oauth_authrep.xml (oauth / OIDC). */
  authrep(service: CompiledService, request: AuthrepRequest): Promise<BackendResponse> {
    const oauth = service.backendVersion === 'oauth';
    const path = oauth ? '/transactions/oauth_authrep.xml' : '/transactions/authrep.xml';
    return this.call(
      service,
      'authrep',
      'GET',
      path,
      this.query(service, request),
      service.authenticationMethod === 'oauth',
      undefined,
      request.trace,
    );
  }

  /** authorize.xml / oauth_authorize.xml (batcher, native OAuth). */
  authorize(service: CompiledService, request: AuthrepRequest): Promise<BackendResponse> {
    const oauth = service.backendVersion === 'oauth';
    const path = oauth ? '/transactions/oauth_authorize.xml' : '/transactions/authorize.xml';
    return this.call(
      service,
      'auth',
      'GET',
      path,
      this.query(service, request),
      service.authenticationMethod === 'oauth',
      undefined,
      request.trace,
    );
  }

  /** POST /transactions.xml with url-encoded transactions (batcher, custom_metrics). */
  report(
    service: CompiledService,
    transactions: { credentials: Credentials; usage: Usage }[],
    trace?: RequestTrace,
  ): Promise<BackendResponse> {
    const body = transactions
      .map((t, i) =>
        [
          ...credentialParams(t.credentials).map(([k, v]) => `transactions%5B${i}%5D%5B${k}%5D=${encodeURIComponent(v)}`),
          ...[...t.usage.entries()].map(([m, d]) => `transactions%5B${i}%5D%5Busage%5D%5B${encodeURIComponent(m)}%5D=${d}`),
        ].join('&'),
      )
      .join('&');
    return this.call(service, 'report', 'POST', '/transactions.xml', this.baseParams(service), false, body, trace);
  }

  /** Native OAuth: POST /services/<id>/oauth_access_tokens.xml (gateway.md §4.6 "store token"). */
  storeAccessToken(
    service: CompiledService,
    token: { appId: string; token: string; userId?: string; ttl: number },
    trace?: RequestTrace,
  ): Promise<BackendResponse> {
    let body = this.baseParams(service);
    body += `&app_id=${encodeURIComponent(token.appId)}&token=${encodeURIComponent(token.token)}&ttl=${token.ttl}`;
    if (token.userId !== undefined) body += `&user_id=${encodeURIComponent(token.userId)}`;
    return this.call(service, 'auth', 'POST', `/services/${encodeURIComponent(service.id)}/oauth_access_tokens.xml`, '', true, body, trace);
  }

  private query(service: CompiledService, request: AuthrepRequest): string {
    let query = this.baseParams(service);
    const usage = request.usage.encode();
    if (usage) query += `&${usage}`;
    for (const [k, v] of credentialParams(request.credentials)) query += `&${k}=${encodeURIComponent(v)}`;
    for (const [k, v] of request.extra ?? [])
      query += `&${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(v)}`;
    return query;
  }

  private readonly endpoints = new Map<string, { base: URL; prefix: string }>();

  /** Parsed once per endpoint (a configuration has few), not per call. */
  private endpoint(url: string): { base: URL; prefix: string } {
    let parsed = this.endpoints.get(url);
    if (!parsed) {
      const base = new URL(url);
      parsed = { base, prefix: base.pathname.replace(/\/+$/, '') };
      if (this.endpoints.size > 1000) this.endpoints.clear();
      this.endpoints.set(url, parsed);
    }
    return parsed;
  }

  private pool(endpoint: string): Pool {
    let pool = this.pools.get(endpoint);
    if (!pool) {
      pool = new Pool(endpoint, {
        connections: null,
        pipelining: 1,
        keepAliveTimeout: 60_000,
        // APICAST_LUA_SOCKET_KEEPALIVE_REQUESTS: backend calls are the original's Lua-socket traffic.
        ...keepaliveRequestOptions(this.settings.socketKeepaliveRequests),
        // The platform default of the original (nginx lua sockets: 60 s to connect, to send, between reads);
        // undici's own defaults (10 s connect, 300 s headers) would fail or hang differently.
        headersTimeout: BACKEND_TIMEOUT_MS,
        bodyTimeout: BACKEND_TIMEOUT_MS,
        // The gateway's DNS resolver (gateway.md §10); net/outbound.ts.
        connect: { rejectUnauthorized: this.settings.opensslVerify, lookup: this.outbound.lookup, timeout: BACKEND_TIMEOUT_MS },
      });
      this.pools.set(endpoint, pool);
    }
    return pool;
  }

  /** `nativeOauth`: the body is needed, so `no_body` is not asked for (gateway.md §4.6). */
  private async call(
    service: CompiledService,
    endpoint: BackendEndpoint,
    method: 'GET' | 'POST',
    path: string,
    query: string,
    nativeOauth: boolean,
    body?: string,
    trace?: RequestTrace,
  ): Promise<BackendResponse> {
    const { base, prefix } = this.endpoint(service.backend.endpoint);
    const fullPath = query ? `${prefix}${path}?${query}` : `${prefix}${path}`;
    const headers: Record<string, string> = {
      host: service.backend.host,
      'user-agent': this.userAgent,
      '3scale-options': nativeOauth ? 'rejection_reason_header=1&limit_headers=1' : 'rejection_reason_header=1&limit_headers=1&no_body=1',
    };
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    // The URL without its query: the query carries the service token and the application's credentials.
    const span = this.tracer?.startBackendCall(trace, endpoint, method, `${base.origin}${prefix}${path}`);
    let result: BackendResponse;
    try {
      const dispatcher = this.outbound.proxyDispatcher(base.origin) ?? this.pool(base.origin);
      const options = {
        origin: base.origin,
        method,
        path: fullPath,
        headers,
        body: body ?? null,
        headersTimeout: CALL_TIMEOUT_MS,
        bodyTimeout: CALL_TIMEOUT_MS,
      };
      try {
        result = await exchange(dispatcher, options);
      } catch (error) {
        // GET calls (authrep/authorize/oauth_*) are retried once when a reused connection was reset
        // before any answer; a report (POST) is not, it could be counted twice.
        if (method !== 'GET' || !isResetBeforeResponse(error)) throw error;
        this.log.debug(`backend connection reset before the answer, retrying once: ${(error as Error).message}`);
        result = await exchange(dispatcher, options);
      }
    } catch (error) {
      result = { status: 0, headers: {}, body: '', error: (error as Error).message };
    }
    this.hooks.backendCall(endpoint, result.status);
    span?.end(result.status, result.error);
    if (this.log.isLevelEnabled('debug') || result.status === 0) {
      const names = [...SECRET_PARAMS, ...(['userKey', 'appId', 'appKey'] as const).map((k) => service.credentials[k])];
      const uri = redactQuery(`${base.origin}${fullPath}`, names);
      const line = `backend client uri: ${uri} ok: ${result.status >= 200 && result.status < 300} status: ${result.status}${result.error ? ` error: ${result.error}` : ''}`;
      if (result.status === 0) this.log.warn(line);
      else this.log.debug(line);
    }
    return result;
  }

  /** Lets in-flight calls finish for up to `graceMs`, then cuts them (logged with their number). */
  async close(graceMs = DRAIN_GRACE_MS): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    let timer: NodeJS.Timeout | undefined;
    const closed = Promise.all(pools.map((pool) => pool.close().catch(() => undefined))).then(() => true);
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, graceMs);
    });
    const inTime = await Promise.race([closed, late]);
    clearTimeout(timer);
    if (inTime) return;
    const pending = pools.reduce((sum, pool) => sum + pool.stats.running + pool.stats.pending, 0);
    this.log.warn(`backend: ${pending} call(s) still in flight after ${graceMs} ms of drain, cut (their reports are lost)`);
    await Promise.all(pools.map((pool) => pool.destroy().catch(() => undefined)));
  }
}
