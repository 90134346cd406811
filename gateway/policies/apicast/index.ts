/**
 * apicast (policies.md §5.1, gateway.md §4.2–§4.8): credentials, mapping
 * rules, authorization against the 3scale backend with the authorization
 * cache, proxying to the service's upstream, reporting after cache hits.
 */
import { hostname } from 'node:os';
import type { Policy, PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import type { CompiledService } from '../../src/config/compiled.js';
import type { CompiledMappingRule } from '../../src/mapping/rule.js';
import { matchRules, rulesNeedArgs } from '../../src/mapping/matcher.js';
import { Usage } from '../../src/mapping/usage.js';
import { escapeUri } from '../../src/http/uri.js';
import type { Args } from '../../src/http/args.js';
import { extractCredentials } from '../../src/credentials/extract.js';
import { credentialsKey, encodeCredentials, type Credentials } from '../../src/credentials/credentials.js';
import { backendRuntime } from '../../src/backend/runtime.js';
import { envCacheHandler, isUnavailable, type CacheHandler } from '../../src/backend/cache-handlers.js';
import type { BackendResponse } from '../../src/backend/client.js';
import { shortHash } from '../../src/logging/redact.js';
import type { OidcTokenResult } from './oidc-token.js';
import type { ApicastConfig } from './config.generated.js';
import { APICAST_REPORTS_IN_POST_ACTION } from '../../src/shared/apicast-reports.js';

export type BackendAuthSubscriber = (ctx: PolicyContext, response: BackendResponse) => void;

/** What rewrite leaves for access and post_action. */
interface RequestState {
  credentials: Credentials;
  /** Raw credential values of the cache key (for OIDC: the access token). */
  keyCredentials: string;
  matched: CompiledMappingRule[];
  accessRan: boolean;
  cacheKey: string | undefined;
  cacheHit: boolean;
}

const MACHINE = hostname();

/**
 * OIDC token checks (jose) and the native OAuth endpoints (ioredis) load on
 * first use: most services use neither, and importing them costs boot time.
 * A service configured for them starts loading them when its chain is built.
 */
let oidcModule: Promise<typeof import('./oidc-token.js')> | undefined;
const loadOidc = (): Promise<typeof import('./oidc-token.js')> => (oidcModule ??= import('./oidc-token.js'));
interface OAuthModules {
  oauth: typeof import('../../src/oauth/native-oauth.js');
  redis: typeof import('../../src/shared/redis/index.js');
}
let oauthModules: Promise<OAuthModules> | undefined;
const loadOAuth = (): Promise<OAuthModules> =>
  (oauthModules ??= Promise.all([import('../../src/oauth/native-oauth.js'), import('../../src/shared/redis/index.js')]).then(
    ([oauth, redis]) => ({ oauth, redis }),
  ));

async function verifyServiceToken(service: CompiledService, token: string): Promise<OidcTokenResult> {
  return (await loadOidc()).verifyServiceToken(service, token);
}

function sendError(ctx: PolicyContext, error: { status: number; body: string; contentType: string }, extra?: Record<string, string>): void {
  ctx.exit(error.status, { body: error.body, headers: { 'Content-Type': error.contentType, ...extra } });
}

function header(response: BackendResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Arguments mapping rules see: query args for GET, form body overlaid on them otherwise (gateway.md §4.4). */
async function ruleArgs(ctx: PolicyContext): Promise<Args> {
  const query = ctx.request.args();
  if (ctx.request.method === 'GET') return query;
  return query.overlay(await ctx.request.formArgs());
}

function extraParams(ctx: PolicyContext): string {
  let out = '';
  for (const [k, v] of ctx.extraBackendParams) out += `${out ? '&' : ''}${encodeURIComponent(k)}=${encodeURIComponent(v)}`;
  return out;
}

const apicast: PolicyFactory<ApicastConfig> = (_configuration, build) => {
  const { client, cache } = backendRuntime(build.runtime, build.settings, build.log);
  const settings = build.settings;
  const states = new WeakMap<PolicyContext, RequestState>();
  const subscribers = new Set<BackendAuthSubscriber>();
  const defaultHandler = envCacheHandler(settings.backendCacheHandler);
  const cacheHandler = (ctx: PolicyContext): CacheHandler => (ctx.shared.cache_handler as CacheHandler | undefined) ?? defaultHandler;

  const publish = (ctx: PolicyContext, response: BackendResponse): void => {
    for (const subscriber of subscribers) subscriber(ctx, response);
  };

  const debugHeaders = (ctx: PolicyContext, service: CompiledService, state: RequestState, usage: Usage): void => {
    const secret = service.backend.authentication?.value;
    if (!secret || ctx.request.headers.get('x-3scale-debug') !== secret) return;
    ctx.addResponseHeader('X-3scale-matched-rules', state.matched.map((r) => r.pattern).join(', '));
    ctx.addResponseHeader('X-3scale-credentials', encodeCredentials(state.credentials));
    ctx.addResponseHeader('X-3scale-usage', usage.encode());
    ctx.addResponseHeader('X-3scale-hostname', MACHINE);
    ctx.addResponseHeader('X-3scale-service-id', service.id);
    if (typeof service.raw.system_name === 'string') ctx.addResponseHeader('X-3scale-service-name', service.raw.system_name);
  };

  const redisUrl = settings.redis.url ?? `redis://${settings.redis.host}:${settings.redis.port}`;
  const oauthDeps = (redis: OAuthModules['redis']) => ({
    client,
    redis: () => redis.sharedRedisClient(build.runtime, redisUrl),
    tokensTtl: settings.oauthTokensTtl,
  });
  const handleNativeOAuth = async (ctx: PolicyContext, service: CompiledService): Promise<boolean> => {
    const { oauth, redis } = await loadOAuth();
    return oauth.handleNativeOAuth(ctx, service, oauthDeps(redis));
  };
  const method = String(build.service?.proxy?.authentication_method ?? build.service?.backend_version ?? '');
  if (method === 'oidc') loadOidc().catch(() => undefined); // failures surface on the request that awaits it
  if (method === 'oauth') loadOAuth().catch(() => undefined);

  /** Usage from the mapping rules and the request state access and post_action read. */
  const remember = (
    ctx: PolicyContext,
    service: CompiledService,
    credentials: Credentials,
    keyCredentials: string,
    args: Args | undefined,
  ): void => {
    const { usage, matched } = matchRules(service.rules, ctx.request.method, escapeUri(ctx.request.path), args);
    ctx.usage = (ctx.usage ?? new Usage()).merge(usage);
    ctx.credentials = credentials;
    states.set(ctx, { credentials, keyCredentials, matched, accessRan: false, cacheKey: undefined, cacheHit: false });
  };

  /** Key-based credentials (user_key, app_id/app_key): no token to verify. */
  const keyed = (ctx: PolicyContext, service: CompiledService, credentials: Credentials | undefined): void => {
    if (!credentials) {
      sendError(ctx, service.errors.authMissing);
      return;
    }
    remember(ctx, service, credentials, credentialsKey(credentials), undefined);
  };

  const rewriteSlowly = async (ctx: PolicyContext, service: CompiledService): Promise<void> => {
    // Native OAuth endpoints terminate the request (gateway.md §4.2 step 3).
    if (service.authenticationMethod === 'oauth' && (await handleNativeOAuth(ctx, service))) return;
    let credentials = ctx.extractedCredentials ?? (await extractCredentials(service, ctx.request));
    if (!credentials) {
      sendError(ctx, service.errors.authMissing);
      return;
    }
    const keyCredentials = credentialsKey(credentials);
    if (service.authenticationMethod === 'oidc' && credentials.kind === 'access_token') {
      const result = await verifyServiceToken(service, credentials.access_token);
      if (!result.ok) {
        ctx.log.info({ service: service.id }, `JWT rejected: ${result.reason}`);
        sendError(ctx, service.errors.authFailed);
        return;
      }
      credentials = { kind: 'app_id', app_id: result.clientId };
      ctx.jwt = result.claims;
      ctx.ttl = result.ttl;
    }
    const args = rulesNeedArgs(service.rules) ? await ruleArgs(ctx) : undefined;
    remember(ctx, service, credentials, keyCredentials, args);
  };

  /** Not in the cache: ask the backend before the request goes on. */
  const authorize = async (ctx: PolicyContext, service: CompiledService, state: RequestState, usage: Usage, key: string): Promise<void> => {
    if (ctx.log.isLevelEnabled('debug')) ctx.log.debug(`apicast cache miss key: ${shortHash(key)} value: ${cache.get(key) ?? 'nil'}`);
    const response = await client.authrep(service, {
      usage,
      credentials: state.credentials,
      extra: ctx.extraBackendParams,
      trace: ctx.trace,
    });
    publish(ctx, response);
    cacheHandler(ctx)(cache, key, response, ctx.ttl);
    if (isUnavailable(response.status)) {
      if (cache.get(key) === 200) return;
      sendError(ctx, service.errors.authFailed);
      return;
    }
    if (response.status === 200) return;
    let reason = header(response, '3scale-rejection-reason');
    if (reason === 'limits_exceeded' && header(response, '3scale-limit-max-value') === '0') reason = undefined;
    if (reason === 'limits_exceeded') {
      const reset = header(response, '3scale-limit-reset');
      sendError(ctx, service.errors.limitsExceeded, reset !== undefined ? { 'Retry-After': reset } : undefined);
      return;
    }
    sendError(ctx, service.errors.authFailed);
  };

  const policy: Policy = {
    // Sync unless something is asynchronous (native OAuth, OIDC, a form body, rules on body args):
    // the common request costs the chain runner no promise (chain/phase-runner.ts).
    rewrite(ctx) {
      const service = ctx.service;
      if (!service) {
        ctx.log.warn(`could not find service for host: ${ctx.host}`);
        ctx.exit(404, { body: '' });
        return;
      }
      const method = service.authenticationMethod;
      if (method === 'oauth' || method === 'oidc' || rulesNeedArgs(service.rules)) return rewriteSlowly(ctx, service);
      const extracted = ctx.extractedCredentials ?? extractCredentials(service, ctx.request);
      if (extracted instanceof Promise)
        return extracted.then((credentials) => {
          keyed(ctx, service, credentials);
        });
      keyed(ctx, service, extracted);
    },

    access(ctx) {
      if (ctx.skipApicastAccess) return undefined;
      const service = ctx.service;
      const state = states.get(ctx);
      if (!service || !state) return undefined;
      state.accessRan = true;
      const usage = ctx.usage ?? new Usage();
      if (usage.isEmpty) {
        sendError(ctx, service.errors.noMatch);
        return;
      }
      debugHeaders(ctx, service, state, usage);

      const extra = extraParams(ctx);
      const key = `${service.id}:${state.keyCredentials}:${usage.encode()}${extra ? `:${extra}` : ''}`;
      state.cacheKey = key;
      if (cache.get(key) === 200) {
        state.cacheHit = true;
        // custom_metrics merges its usage into our post_action authrep instead of a second call.
        ctx.shared[APICAST_REPORTS_IN_POST_ACTION] = true;
        return undefined;
      }
      return authorize(ctx, service, state, usage, key);
    },

    content(ctx) {
      const upstream = ctx.routeUpstream ?? ctx.getUpstream();
      if (!upstream) {
        ctx.exit(404, { body: '' });
        return;
      }
      ctx.proxyPass(upstream);
    },

    async post_action(ctx) {
      const service = ctx.service;
      const state = states.get(ctx);
      // Report only requests authorized from the cache: a miss already reported synchronously.
      if (!service || !state || !state.accessRan || !state.cacheHit || !state.cacheKey || ctx.skipApicastAccess) return;
      const extra: [string, string][] = [...ctx.extraBackendParams];
      if (settings.responseCodes) extra.push(['log[code]', String(ctx.response.status)]);
      const usage = ctx.usage ?? new Usage();
      const response = await client.authrep(service, { usage, credentials: state.credentials, extra, trace: ctx.trace });
      cacheHandler(ctx)(cache, state.cacheKey, response, ctx.ttl);
    },

    export() {
      return {
        add_backend_auth_subscriber: (fn: BackendAuthSubscriber) => {
          subscribers.add(fn);
        },
        publish_backend_auth: publish,
      };
    },
  };
  return policy;
};

export default apicast;
