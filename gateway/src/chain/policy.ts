/**
 * THE POLICY CONTRACT (policies.md §1, §2, §3.6; spec README "policy modules").
 *
 * A policy module is a folder with `apicast-policy.json` (manifest) and
 * `index.js` whose default export is a PolicyFactory. The gateway validates the
 * configuration against the manifest schema before calling the factory, once
 * per chain build (= per configuration load), never per request.
 *
 * Phase methods run in chain order; each receives the per-request
 * PolicyContext. Handlers may be sync or async: the runner only awaits a
 * returned promise, so a sync handler costs no microtask.
 *
 * Stable: other engineers build on this file. Change it only together with
 * gateway/ARCHITECTURE.md.
 */
import type { Logger } from 'pino';
import type { Settings } from '../settings.js';
import type { PolicyChainEntryJson, ServiceJson } from '../config/types.js';
import type { PolicyChain } from './chain.js';
import type { CompiledService } from '../config/compiled.js';
import type { ConfigurationView } from '../config/store.js';
import type { GatewayRequest } from '../http/request.js';
import type { HeaderMap } from '../http/header-map.js';
import type { Usage } from '../mapping/usage.js';
import type { Upstream } from '../upstream/upstream.js';
import type { Credentials } from '../credentials/credentials.js';
import type { PolicyManifest } from './manifest.js';
import type { GatewayHooks } from '../telemetry/hooks.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';
import type { RequestTrace } from '../tracing/tracer.js';

/** Phase names exactly as policies.md §1.1. */
export type PhaseName =
  | 'init'
  | 'init_worker'
  | 'ssl_certificate'
  | 'rewrite'
  | 'access'
  | 'content'
  | 'balancer'
  | 'header_filter'
  | 'body_filter'
  | 'post_action'
  | 'log'
  | 'metrics';

/** Request phases the runner drives in this order (body_filter is per chunk, see Policy). */
export const REQUEST_PHASES = ['rewrite', 'access', 'content'] as const;
export type RequestPhase = (typeof REQUEST_PHASES)[number];

type MaybePromise<T> = T | Promise<T>;

export interface Policy {
  /** Once per instance, when the chain is built (module-level init: export `init` from index.js). */
  init?(): MaybePromise<void>;
  init_worker?(): MaybePromise<void>;
  /** TLS handshake (HTTPS listener): only ctx.host (SNI) is meaningful. */
  ssl_certificate?(ctx: PolicyContext): MaybePromise<void>;
  rewrite?(ctx: PolicyContext): MaybePromise<void>;
  access?(ctx: PolicyContext): MaybePromise<void>;
  /** Exclusive: the first handler that calls ctx.proxyPass() or ctx.exit() ends the content phase. */
  content?(ctx: PolicyContext): MaybePromise<void>;
  /** Before each upstream attempt (first try and each retry): set ctx.balancer fields. */
  balancer?(ctx: PolicyContext): MaybePromise<void>;
  /** Response status/headers are in ctx.response, mutable here. Also runs after an exit. */
  header_filter?(ctx: PolicyContext): MaybePromise<void>;
  /**
   * Per response body chunk, in chain order; `eof` is true on the last call
   * (whose chunk may be empty). Return a Buffer to replace the chunk (an empty
   * Buffer drops it — that is how a policy buffers: keep chunks, return them
   * joined at eof), or nothing to keep it. Synchronous on purpose: it is on
   * the streaming hot path.
   */
  body_filter?(ctx: PolicyContext, chunk: Buffer, eof: boolean): Buffer | undefined;
  /** After the whole response reached the client; also after early exits. Never delays the client. */
  post_action?(ctx: PolicyContext): MaybePromise<void>;
  /** After post_action: metrics, access-log decisions. */
  log?(ctx: PolicyContext): MaybePromise<void>;
  /** On each GET /metrics (global chain only). */
  metrics?(): MaybePromise<void>;
  /** Values/functions readable by every request of this chain through ctx.shared (earlier policies shadow later ones). */
  export?(): Record<string, unknown>;
  /**
   * The configuration holding this instance was replaced (or rejected while
   * being built): release timers, flush pending work. Called once, after the
   * last in-flight request of the old configuration finished (chain/disposal.ts).
   */
  dispose?(): MaybePromise<void>;
}

/** What a factory receives besides its (schema-validated) configuration. */
export interface PolicyBuildContext {
  readonly settings: Settings;
  /** Logger bound to the policy and service. */
  readonly log: Logger;
  /** The raw service JSON whose chain is being built; undefined for the global chain. */
  readonly service: ServiceJson | undefined;
  readonly serviceId: string | undefined;
  readonly policy: { readonly name: string; readonly version: string; readonly manifest: PolicyManifest };
  readonly hooks: GatewayHooks;
  /**
   * What this gateway owns (runtime/gateway-runtime.ts): the backend client,
   * Redis clients, shared dictionaries. Open long-lived resources through
   * `runtime.own(key, create, close)` so that they close with the gateway.
   */
  readonly runtime: GatewayRuntime;
  /**
   * Builds a nested chain (conditional, standalone) from a JSON policy list
   * through the same registry, settings and error rules as the service chain.
   * `field` is the JSON path inside this policy's configuration (e.g.
   * `policy_chain`); errors name it under the policy's own path.
   */
  buildChain(entries: readonly PolicyChainEntryJson[], field: string): Promise<PolicyChain>;
}

/**
 * Default export of a policy's index.js. May throw (or return a rejected
 * promise) to refuse a configuration the schema accepted but the policy cannot
 * use: the whole new configuration is then rejected, naming service, policy
 * and the message (spec README "policy construction"). Throw a
 * PolicyConfigurationError to name the field.
 *
 * `C` is the configuration's type. Builtins use the interface generated from
 * their manifest (`<name>/config.generated.ts`, `make policy-types`), which is
 * what the gateway validated; the default suits custom policies, whose
 * manifests the gateway knows only at run time.
 */
export type PolicyFactory<C = Record<string, unknown>> = (configuration: C, context: PolicyBuildContext) => MaybePromise<Policy>;

export class PolicyConfigurationError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'PolicyConfigurationError';
  }
}

export interface ExitOptions {
  /** Exact body (no newline added). Absent with status >= 400 ⇒ the default HTML error page; absent otherwise ⇒ empty. */
  body?: string | Buffer;
  /** Response headers of this exit (e.g. Content-Type, Location, Retry-After). */
  headers?: Record<string, string | string[]>;
}

/** Upstream attempt settings policies adjust in `balancer` (policies.md §1.5). */
export interface BalancerState {
  /** 0 on the first attempt, +1 per retry. */
  retries: number;
  /**
   * The upstream this attempt connects to, whichever policy chose it
   * (proxyPass in content, a routing/upstream policy, or api_backend); set
   * by the proxy before the phase runs, undefined outside an attempt.
   */
  upstream: Upstream | undefined;
  /** A policy may pin the peer for this attempt (first one wins). */
  peer: { host: string; port: number } | undefined;
  /** Seconds; undefined = default (60 s like nginx). From upstream_connection. */
  connectTimeout: number | undefined;
  sendTimeout: number | undefined;
  readTimeout: number | undefined;
  /** Client certificate for HTTPS upstreams (upstream_mtls), PEM. */
  clientCertificate: { cert: string; key: string } | undefined;
  /** CA certificates (PEM) to verify this upstream with (upstream_mtls), overriding OPENSSL_VERIFY trust. */
  ca: string | undefined;
  /** Verify the upstream certificate for this attempt (defaults to OPENSSL_VERIFY). */
  verify: boolean | undefined;
  /** Set to refuse the attempt (e.g. SaaS blacklist) ⇒ 503. */
  refuse: string | undefined;
}

/** The balancer state of a request no policy has touched yet. */
export function freshBalancerState(): BalancerState {
  return {
    retries: 0,
    upstream: undefined,
    peer: undefined,
    connectTimeout: undefined,
    sendTimeout: undefined,
    readTimeout: undefined,
    clientCertificate: undefined,
    ca: undefined,
    verify: undefined,
    refuse: undefined,
  };
}

export interface ResponseState {
  /** Status that will be / was sent. Mutable in header_filter. */
  status: number;
  /** Response headers; mutable until the headers are sent (header_filter is the last chance). */
  readonly headers: HeaderMap;
  /** True once the status line went out. */
  readonly headersSent: boolean;
  /** True once the whole response reached the client (post_action/log time). */
  readonly finished: boolean;
  /** Body bytes written to the client. */
  readonly bytesSent: number;
  /** True once a policy declared (rewritesBody) that it changes this response's body. */
  readonly bodyRewritten: boolean;
  /**
   * Declares, in header_filter at the latest, that a body_filter will change
   * the length of this response's body: Content-Length is dropped and the
   * response goes chunked. Without it the upstream's Content-Length is kept
   * (body_filters that only observe, or that set an exact Content-Length
   * themselves, like payload_limits). Deleting Content-Length in header_filter
   * has the same effect (nginx style).
   */
  rewritesBody(): void;
}

/** Immutable snapshot at the beginning of the request (policies.md §2). */
export interface OriginalRequest {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly query: string;
  /** Raw request target as received. */
  readonly uri: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly serverAddress: string;
}

/**
 * The per-request context shared by all phases and chains (policies.md §2).
 * Well-known keys of policies.md §2.1 are typed fields (camelCase); anything
 * else lives in `shared`.
 */
export interface PolicyContext {
  readonly requestId: string;
  readonly settings: Settings;
  /** pino logger with the request id bound. Never log credentials. */
  readonly log: Logger;
  /** The request's span when tracing is on (gateway.md §7.1): hand it to backend calls made for this request. */
  readonly trace?: RequestTrace | undefined;
  readonly request: GatewayRequest;
  readonly response: ResponseState;
  readonly originalRequest: OriginalRequest;
  /** Monotonic start time (performance.now()). */
  readonly startedAt: number;

  /** Request host: Host header lower-cased without port (or SNI). */
  host: string;
  /** Configuration store view (find by host / id, all services). */
  readonly configuration: ConfigurationView;
  /** The selected service (find_service). Undefined ⇒ the default chain answers 404. */
  service: CompiledService | undefined;

  /** Accumulated usage (apicast, soap, custom_metrics merge into it). */
  usage: Usage | undefined;
  /** Credentials set by another policy (default_credentials) for apicast to use instead of extracting. */
  extractedCredentials: Credentials | undefined;
  /** Final credentials sent to the backend (apicast). */
  credentials: Credentials | undefined;
  /** JWT payload (apicast OIDC) or parsed JWT (oidc_authentication). */
  jwt: Record<string, unknown> | undefined;
  /** Authorization cache TTL in seconds for this request (OIDC: token lifetime). */
  ttl: number | undefined;
  /** Upstream chosen by a routing/upstream policy; wins over the service's api_backend. */
  routeUpstream: Upstream | undefined;
  /** 3scale_batcher sets it: apicast neither authorizes nor reports. */
  skipApicastAccess: boolean;
  /** Extra query params for backend authrep calls (e.g. referrer). Ordered. */
  readonly extraBackendParams: Map<string, string>;
  /** Attempt settings for the balancer phase. */
  readonly balancer: BalancerState;
  /** Status the upstream answered (undefined if none contacted). */
  upstreamStatus: number | undefined;
  /** Seconds the upstream took (undefined if none contacted). */
  upstreamResponseTime: number | undefined;

  /**
   * Ad-hoc shared state. Reads fall through: request-local → service chain
   * exports → global chain exports; writes stay request-local. Export names
   * follow policies.md §2.1 in snake_case (`cache_handler`,
   * `upstream_retries`, `upstream_connection_opts`, `get_http_proxy`,
   * `add_backend_auth_subscriber`, `publish_backend_auth`, …).
   */
  readonly shared: Record<string, unknown>;

  /** The default upstream of the service (api_backend + hostname_rewrite). */
  getUpstream(): Upstream | undefined;
  /** Path used for matching: route_upstream path if set (or '/'), else the request path. */
  getUri(): string;

  /** Ends the request with this status (rewrite/access/content). header_filter, body_filter, post_action and log still run. Return right after calling it. */
  exit(status: number, options?: ExitOptions): void;
  /** exit(0): the remaining policies skip the current phase; the next phase runs. */
  skipPhase(): void;
  /** Content phase: proxy to this upstream (first content producer wins). */
  proxyPass(upstream: Upstream): void;
  /** Adds a header to the client response whatever produces it (debug headers, Retry-After, RateLimit-*). */
  addResponseHeader(name: string, value: string): void;
  /** True after exit()/proxyPass(): later content handlers are skipped. */
  readonly contentDecided: boolean;
  readonly exited: boolean;
  /** Resolves when the response is finished (or the client aborted). */
  readonly finished: Promise<void>;
  /** True when the client went away before the response finished (status 499). */
  readonly aborted: boolean;
}
