/**
 * Proxying to upstreams with undici (gateway.md §4.9): one keep-alive Pool
 * per origin and TLS settings, request and response bodies streamed (each
 * attempt is exchange.ts),
 * connection failures → 502, timeouts → 504, retries only when the retry
 * policy exports `upstream_retries` and the case is in
 * APICAST_UPSTREAM_RETRY_CASES.
 */
import { keepaliveRequestOptions } from '../net/keepalive-requests.js';
import { isUnbuffered } from './unbuffered.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';
import { materialDigest } from '../shared/tls/material-digest.js';
import { ProxyDispatchers, connectThroughProxy, redactedProxy } from '../../policies/http_proxy/proxy-route.js';
import { Http2Sessions } from '../../policies/grpc/http2-forward.js';
import type { ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Settings } from '../settings.js';
import type { PhaseRunner } from '../chain/phase-runner.js';
import type { RequestContext } from '../chain/request-context.js';
import { isHopByHop, sendResponse, exitBody } from '../http/respond.js';
import { upstreamHostHeader, type Upstream } from './upstream.js';
import { upstreamTarget } from './target.js';
import { tunnel } from './tunnel.js';
import { attempt } from './exchange.js';
import { forwardGrpc, wantsGrpc } from './grpc.js';
import { PROPAGATION_HEADERS } from '../tracing/tracer.js';
import type { GetHttpProxy } from '../../policies/http_proxy/proxy-urls.js';

const NO_STATUSES: ReadonlySet<number> = new Set();

/** ctx.shared flag the websocket policy sets: forward Connection/Upgrade and tunnel a 101. */
const UPGRADE_FLAG = 'upstream_connection_upgrade';

const DEFAULT_TIMEOUT_MS = 60_000;
const STRIPPED_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'x-real-ip',
  'x-3scale-proxy-secret-token',
  'x-3scale-debug',
  'expect',
  'content-length',
]);
const NOTHING_LISTED: readonly string[] = [];

type FailureKind = 'error' | 'timeout' | 'refused';

function classify(error: unknown): FailureKind {
  if (
    error instanceof undiciErrors.ConnectTimeoutError ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError
  )
    return 'timeout';
  const code = (error as { code?: string }).code;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return 'timeout';
  if (code === 'ECONNREFUSED') return 'refused';
  return 'error';
}

/** Timeouts exported by upstream_connection (`upstream_connection_opts`, seconds) unless a balancer handler set them. */
function applyConnectionOptions(ctx: RequestContext): void {
  const opts = ctx.shared.upstream_connection_opts as
    { connect_timeout?: number; send_timeout?: number; read_timeout?: number } | undefined;
  if (!opts) return;
  const b = ctx.balancer;
  b.connectTimeout ??= opts.connect_timeout;
  b.sendTimeout ??= opts.send_timeout;
  b.readTimeout ??= opts.read_timeout;
}

export class UpstreamProxy {
  /**
   * One pool per origin + connection settings. Bounded: upstreams chosen per request (routing,
   * upstream policies with Liquid) could otherwise grow it without limit; an evicted pool closes
   * once its requests finish.
   */
  private readonly pools = new LRUCache<string, Pool>({
    max: 1000,
    dispose: (pool) => {
      pool.close().catch(() => undefined);
    },
  });
  private readonly trustedCa: string | undefined;
  /** APICAST_PROXY_HTTPS_CERTIFICATE(_KEY): the client certificate every HTTPS upstream gets, read at boot. */
  private readonly globalClientCertificate: { cert: string; key: string } | undefined;
  /** APICAST_UPSTREAM_RETRY_CASES http_<status> entries, parsed once. */
  private readonly retryStatuses: ReadonlySet<number>;

  constructor(
    private readonly settings: Settings,
    private readonly log: Logger,
    private readonly runtime: GatewayRuntime,
  ) {
    this.retryStatuses = new Set(settings.upstreamRetryCases.filter((c) => c.startsWith('http_')).map((c) => Number(c.slice(5))));
    if (settings.sslCertFile) {
      try {
        this.trustedCa = readFileSync(settings.sslCertFile, 'utf8');
      } catch (error) {
        log.error(`SSL_CERT_FILE ${settings.sslCertFile} cannot be read: ${(error as Error).message}`);
      }
    }
    this.globalClientCertificate = loadGlobalClientCertificate(settings, log);
  }

  private pool(upstream: Upstream, ctx: RequestContext, servername: string): Pool {
    const b = ctx.balancer;
    const verify = b.verify ?? this.settings.opensslVerify;
    const peer = b.peer ? `${b.peer.host}:${b.peer.port}` : '';
    const cert = b.clientCertificate;
    const tlsKey =
      upstream.scheme === 'https'
        ? `|${verify}|${servername}|${materialDigest(b.ca)}|${materialDigest(cert?.cert)}|${materialDigest(cert?.key)}`
        : '';
    const key = `${upstream.origin}|${peer}|${b.connectTimeout ?? ''}${tlsKey}`;
    let pool = this.pools.get(key);
    if (!pool) {
      const origin = b.peer
        ? `${upstream.scheme}://${b.peer.host.includes(':') ? `[${b.peer.host}]` : b.peer.host}:${b.peer.port}`
        : upstream.origin;
      pool = new Pool(origin, {
        connections: null,
        pipelining: 1,
        keepAliveTimeout: 60_000,
        // APICAST_LUA_SOCKET_KEEPALIVE_REQUESTS: requests per kept-alive upstream connection, then a new one.
        ...keepaliveRequestOptions(this.settings.socketKeepaliveRequests),
        // APICAST_PROXY_BUFFER_SIZE (nginx proxy_buffer_size): a bigger upstream response head ⇒ 502.
        ...(this.settings.proxyBufferSize !== undefined ? { maxHeaderSize: this.settings.proxyBufferSize } : {}),
        // APICAST_PROXY_HTTPS_SESSION_REUSE=off: every TLS handshake is a full one.
        ...(this.settings.proxyHttpsSessionReuse ? {} : { maxCachedSessions: 0 }),
        connect: {
          // The gateway's DNS resolver (gateway.md §10); net/outbound.ts.
          lookup: this.runtime.outbound.lookup,
          timeout: b.connectTimeout !== undefined ? b.connectTimeout * 1000 : DEFAULT_TIMEOUT_MS,
          ...(upstream.scheme === 'https'
            ? {
                rejectUnauthorized: verify,
                servername: servername.replace(/:\d+$/, ''),
                ca: b.ca ?? this.trustedCa,
                ...(b.clientCertificate ?? this.globalClientCertificate ?? {}),
              }
            : {}),
        },
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /**
   * Where this attempt goes: a peer pinned by a policy ⇒ direct; else the
   * service's forward proxy from `get_http_proxy` (http_proxy / camel,
   * policies.md §5.14 / §5.5: wins over the environment, NO_PROXY ignored);
   * else HTTP(S)_PROXY / NO_PROXY (gateway.md §1.8); else the upstream pool.
   */
  private route(
    ctx: RequestContext,
    upstream: Upstream,
    hostHeader: string,
  ): {
    dispatcher: Dispatcher;
    origin: string;
    path: string;
    proxyHeaders?: string[];
    via?: string;
    mode?: 'absolute' | 'connect' | 'camel';
  } {
    const target = upstreamTarget(upstream, ctx.request);
    const { proxyUrl, fromPolicy } = this.forwardProxy(ctx, upstream);
    if (proxyUrl) {
      const dispatchers = this.runtime.own(
        'forward-proxy-dispatchers',
        () => new ProxyDispatchers(this.runtime.outbound.lookup),
        (d) => d.close(),
      );
      const routed = dispatchers.route(proxyUrl, upstream, target, {
        camel: fromPolicy && ctx.shared.skip_https_connect_on_proxy === true,
        tls: this.upstreamTls(ctx, hostHeader),
      });
      return {
        dispatcher: routed.dispatcher,
        origin: routed.origin,
        path: routed.path,
        proxyHeaders: routed.proxyHeaders,
        via: redactedProxy(proxyUrl),
        mode: routed.mode,
      };
    }
    return { dispatcher: this.pool(upstream, ctx, hostHeader), origin: upstream.origin, path: target };
  }

  /**
   * The forward proxy for this upstream, if any: the http_proxy policy's, else HTTP(S)_PROXY / ALL_PROXY
   * minus NO_PROXY. One way for both sources, so the upstream TLS settings (client certificate, CA, SNI,
   * verify) and the proxy credentials apply the same in either case. A balancer-chosen peer goes direct.
   */
  private forwardProxy(ctx: RequestContext, upstream: Upstream): { proxyUrl: string | undefined; fromPolicy: boolean } {
    if (ctx.balancer.peer) return { proxyUrl: undefined, fromPolicy: false };
    const policyProxy = (ctx.shared.get_http_proxy as GetHttpProxy | undefined)?.(upstream);
    return { proxyUrl: policyProxy || this.runtime.outbound.proxyUrl(upstream.origin), fromPolicy: Boolean(policyProxy) };
  }

  /** TLS towards the upstream when the pool is not the one connecting (policy proxies, gRPC). */
  private upstreamTls(
    ctx: RequestContext,
    hostHeader: string,
  ): { rejectUnauthorized: boolean; servername: string; ca?: string; cert?: string; key?: string } {
    const b = ctx.balancer;
    const ca = b.ca ?? this.trustedCa;
    return {
      rejectUnauthorized: b.verify ?? this.settings.opensslVerify,
      servername: hostHeader.replace(/:\d+$/, ''),
      ...(ca ? { ca } : {}),
      ...(b.clientCertificate ?? this.globalClientCertificate ?? {}),
    };
  }

  private requestHeaders(ctx: RequestContext, hostHeader: string): string[] {
    const headers = ctx.request.headers;
    // Hop-by-hop headers and the ones listed in Connection never go upstream.
    const connection = headers.get('connection');
    const connectionListed = connection
      ? connection
          .split(',')
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean)
      : NOTHING_LISTED;
    const flat: string[] = ['host', hostHeader];
    for (const [name, values] of headers) {
      const lower = name.toLowerCase();
      if (isHopByHop(lower) || STRIPPED_REQUEST_HEADERS.has(lower) || connectionListed.includes(lower)) continue;
      // Traced: the gateway's own span context replaces the client's (which is the server span's parent).
      if (ctx.trace && PROPAGATION_HEADERS.has(lower)) continue;
      for (const value of values) flat.push(name, value);
    }
    const body = ctx.request.body;
    const declaredLength = headers.get('content-length');
    if (body) flat.push('content-length', String(body.length));
    else if (declaredLength !== undefined) flat.push('content-length', declaredLength);
    flat.push('x-real-ip', ctx.request.clientAddress);
    const secret = ctx.service?.secretToken;
    if (secret) flat.push('x-3scale-proxy-secret-token', secret);
    if (ctx.trace) flat.push(...ctx.trace.propagationHeaders());
    return flat;
  }

  /** Proxies the request to `upstream` and sends the response (or 502/504/503) through the filters. */
  async forward(ctx: RequestContext, res: ServerResponse, chain: PhaseRunner, upstream: Upstream): Promise<void> {
    const bodyUnbuffered = ctx.request.hasBody && ctx.request.body === undefined;
    // request_unbuffered: a streamed body is never held for a replay, so such a request is not retried.
    const retries = bodyUnbuffered && isUnbuffered(ctx) ? 0 : Number(ctx.shared.upstream_retries ?? 0) || 0;
    const retryCases = this.settings.upstreamRetryCases;
    const retryStatuses = this.retryStatuses;
    if (retries > 0 && bodyUnbuffered) await ctx.request.readBody(); // a retried body must be replayable
    for (;;) {
      ctx.balancer.peer = undefined;
      ctx.balancer.upstream = upstream;
      applyConnectionOptions(ctx);
      ctx.beginPhase();
      const balancing = chain.run('balancer', ctx);
      if (balancing) await balancing;
      if (ctx.balancer.refuse !== undefined || ctx.exited) {
        if (ctx.balancer.refuse !== undefined) ctx.log.error(`could not select peer: ${ctx.balancer.refuse}`);
        return this.fail(ctx, res, chain, ctx.exitDecision?.status ?? 503);
      }
      const hostHeader = upstreamHostHeader(upstream);
      const started = performance.now();
      const b = ctx.balancer;
      if (ctx.shared[UPGRADE_FLAG] === true && ctx.request.incoming.headers.upgrade !== undefined) {
        const { proxyUrl } = this.forwardProxy(ctx, upstream);
        const outcome = await tunnel(ctx, res, chain, {
          upstream,
          path: upstreamTarget(upstream, ctx.request),
          headers: this.requestHeaders(ctx, hostHeader),
          hostHeader,
          verify: b.verify ?? this.settings.opensslVerify,
          connectTimeoutMs: b.connectTimeout !== undefined ? b.connectTimeout * 1000 : DEFAULT_TIMEOUT_MS,
          ...(proxyUrl
            ? {
                connection: () =>
                  connectThroughProxy(proxyUrl, upstream, {
                    lookup: this.runtime.outbound.lookup,
                    tls: this.upstreamTls(ctx, hostHeader),
                    alpn: ['http/1.1'],
                  }),
              }
            : {}),
        });
        ctx.upstreamResponseTime = (performance.now() - started) / 1000;
        if (typeof outcome === 'object') {
          if (ctx.response.headersSent) {
            res.destroy();
            return;
          }
          const refusal = proxyUrl ? proxyRefusal(outcome.error) : undefined;
          if (proxyUrl && refusal !== undefined) {
            ctx.log.error(`forward proxy ${redactedProxy(proxyUrl)} refused the tunnel: ${refusal} (upstream ${upstream.origin})`);
            return this.fail(ctx, res, chain, 503);
          }
          ctx.log.error(`upstream ${upstream.origin} upgrade failed: ${outcome.error.message}`);
          return this.fail(ctx, res, chain, outcome.timeout ? 504 : 502);
        }
        return;
      }
      if (wantsGrpc(ctx)) {
        const { proxyUrl } = this.forwardProxy(ctx, upstream);
        const tls = this.upstreamTls(ctx, hostHeader);
        // gRPC is TLS to the upstream whatever the URL's scheme: the tunnel gets TLS inside it.
        const grpcUpstream: Upstream = { ...upstream, scheme: 'https' };
        const outcome = await forwardGrpc(ctx, res, chain, {
          upstream,
          target: upstreamTarget(upstream, ctx.request),
          headers: this.requestHeaders(ctx, hostHeader),
          tls,
          ...(proxyUrl
            ? {
                connection: {
                  via: redactedProxy(proxyUrl),
                  open: () => connectThroughProxy(proxyUrl, grpcUpstream, { lookup: this.runtime.outbound.lookup, tls, alpn: ['h2'] }),
                },
              }
            : {}),
          timeoutMs: b.readTimeout !== undefined ? b.readTimeout * 1000 : DEFAULT_TIMEOUT_MS,
          sessions: this.runtime.own(
            'http2-sessions',
            () => new Http2Sessions(),
            (sessions) => {
              sessions.close();
            },
          ),
        });
        ctx.upstreamResponseTime = (performance.now() - started) / 1000;
        if (outcome === 'done' || ctx.aborted || res.destroyed) return;
        const refusal = proxyUrl ? proxyRefusal(outcome.error) : undefined;
        if (proxyUrl && refusal !== undefined) {
          ctx.log.error(`forward proxy ${redactedProxy(proxyUrl)} refused the tunnel: ${refusal} (upstream ${upstream.origin})`);
          return this.fail(ctx, res, chain, 503);
        }
        ctx.log.error(`grpc upstream ${upstream.origin} failed: ${outcome.error.message}`);
        return this.fail(ctx, res, chain, classify(outcome.error) === 'timeout' ? 504 : 502);
      }
      const body = await ctx.request.upstreamBody();
      const route = this.route(ctx, upstream, hostHeader);
      const timeout = b.readTimeout !== undefined ? b.readTimeout * 1000 : DEFAULT_TIMEOUT_MS;
      const outcome = await attempt(ctx, res, chain, route.dispatcher, {
        dispatch: {
          origin: route.origin,
          method: ctx.request.method,
          path: route.path,
          headers: route.proxyHeaders?.length
            ? [...this.requestHeaders(ctx, hostHeader), ...route.proxyHeaders]
            : this.requestHeaders(ctx, hostHeader),
          body: body ?? null,
          headersTimeout: timeout,
          bodyTimeout: timeout,
        },
        retryStatuses: b.retries < retries ? retryStatuses : NO_STATUSES,
        sendTimeoutMs: b.sendTimeout !== undefined ? b.sendTimeout * 1000 : undefined,
        readTimeoutMs: b.readTimeout !== undefined ? b.readTimeout * 1000 : undefined,
        viaProxy: route.via !== undefined && route.mode !== 'connect',
      });
      ctx.upstreamResponseTime = (performance.now() - started) / 1000;
      if (outcome.kind === 'done') return;
      if (outcome.kind === 'retry') {
        b.retries++;
        continue;
      }
      if (outcome.kind === 'broken') {
        // Headers are out: the only honest signal left is to cut the connection.
        ctx.log.error(`upstream response body failed: ${outcome.error.message}`);
        res.destroy();
        return;
      }
      if (ctx.aborted || res.destroyed) return; // the client left: nothing to answer (logged as 499)
      const refusal = route.via !== undefined ? proxyRefusal(outcome.error) : undefined;
      if (refusal !== undefined) {
        // As the original for a proxy it cannot get through: 503. The URL is logged without its credentials.
        ctx.log.error(
          `forward proxy ${route.via} refused the ${route.mode === 'connect' ? 'tunnel' : 'request'}: ${refusal} (upstream ${upstream.origin})`,
        );
        return this.fail(ctx, res, chain, 503);
      }
      const kind = classify(outcome.error);
      const retryable = (kind === 'timeout' ? retryCases.includes('timeout') : retryCases.includes('error')) && !bodyUnbuffered;
      if (b.retries < retries && retryable) {
        b.retries++;
        continue;
      }
      ctx.log.error(`upstream ${upstream.origin} ${kind === 'timeout' ? 'timed out' : 'failed'}: ${outcome.error.message}`);
      return this.fail(ctx, res, chain, kind === 'timeout' ? 504 : 502);
    }
  }

  private async fail(ctx: RequestContext, res: ServerResponse, chain: PhaseRunner, status: number): Promise<void> {
    ctx.response.status = status;
    const { body, html } = exitBody(status, undefined);
    ctx.response.headers.set('Content-Type', html ? 'text/html' : 'text/plain');
    await sendResponse(ctx, res, chain, body);
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear(); // dispose closes each
    await Promise.all(pools.map((pool) => pool.close().catch(() => undefined)));
  }
}

/** The proxy's status when `error` says the forward proxy refused a CONNECT (undici) or a request (exchange.ts). */
function proxyRefusal(error: Error): number | undefined {
  const status = (error as { proxyStatus?: number }).proxyStatus;
  if (status !== undefined) return status;
  const tunnel = /^Proxy response \((\d{3})\) !== 200/.exec(error.message);
  return tunnel ? Number(tunnel[1]) : undefined;
}

/**
 * Reads the global upstream client certificate once, at boot (never on the request path). An encrypted key is
 * opened with the passphrases of APICAST_PROXY_HTTPS_PASSWORD_FILE (one per line, tried in order, as nginx's
 * proxy_ssl_password_file) and kept decrypted in memory only. Unreadable files are logged and the gateway runs
 * without a client certificate, as before.
 */
function loadGlobalClientCertificate(settings: Settings, log: Logger): { cert: string; key: string } | undefined {
  if (!settings.proxyHttpsCertificate || !settings.proxyHttpsCertificateKey) return undefined;
  try {
    const cert = readFileSync(settings.proxyHttpsCertificate, 'utf8');
    const keyPem = readFileSync(settings.proxyHttpsCertificateKey, 'utf8');
    const passphrases = settings.proxyHttpsPasswordFile
      ? readFileSync(settings.proxyHttpsPasswordFile, 'utf8')
          .split(/\r?\n/)
          .filter((line) => line !== '')
      : [];
    for (const passphrase of [undefined, ...passphrases]) {
      try {
        const key = createPrivateKey(passphrase === undefined ? keyPem : { key: keyPem, passphrase });
        return { cert, key: key.export({ type: 'pkcs8', format: 'pem' }).toString() };
      } catch {
        /* wrong or missing passphrase: try the next one */
      }
    }
    log.error('APICAST_PROXY_HTTPS_CERTIFICATE_KEY cannot be opened with any passphrase of APICAST_PROXY_HTTPS_PASSWORD_FILE');
  } catch (error) {
    log.error(`the upstream client certificate cannot be read: ${(error as Error).message}`);
  }
  return undefined;
}
