/**
 * rate_limit_headers (policies.md §5.24): RateLimit-* response headers from
 * the backend authorization of this request, or — when apicast answered from
 * its cache — from the last stored answer for the same usage with remaining
 * decremented. Stored per usage, not per application (quirk kept), in the
 * gateway-wide shared dictionary so every worker sees it.
 */
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import type { BackendResponse } from '../../src/backend/client.js';
import { sharedDict } from '../../src/workers/shared-dicts.js';
import type { RateLimitHeadersConfig } from './config.generated.js';
import { decodeLimitInfo, encodeLimitInfo, limitInfoOf, rateLimitHeaders, type LimitInfo } from './limit-info.js';
import { asError } from '../../src/shared/errors.js';

type Subscriber = (ctx: PolicyContext, response: BackendResponse) => void;
type AddSubscriber = (fn: Subscriber) => void;

const now = () => Date.now() / 1000;
const keyOf = (ctx: PolicyContext) => `rate_limit_namespace::${ctx.usage?.encode() ?? ''}`;

const factory: PolicyFactory<RateLimitHeadersConfig> = (_configuration, build) => {
  const dict = sharedDict(build.runtime, 'rate_limit_headers');
  const fromBackend = new WeakMap<PolicyContext, LimitInfo>();
  /** apicast instances (their add functions) this instance already listens to: subscribe once, not per request. */
  const subscribed = new WeakSet<AddSubscriber>();
  const onAuth: Subscriber = (ctx, response) => {
    const info = limitInfoOf(response, now());
    fromBackend.set(ctx, info);
    const ttl = Math.max(Math.ceil(info.resetAt - now()), 1) * 1000;
    dict.set(keyOf(ctx), encodeLimitInfo(info), ttl).catch((err: unknown) => {
      ctx.log.warn({ err: asError(err).message }, 'rate_limit_headers: could not store limits');
    });
  };

  return {
    access(ctx: PolicyContext) {
      const add = ctx.shared['add_backend_auth_subscriber'] as AddSubscriber | undefined;
      if (typeof add !== 'function' || subscribed.has(add)) return;
      subscribed.add(add);
      add(onAuth);
    },
    async content(ctx: PolicyContext) {
      let info = fromBackend.get(ctx);
      if (!info) {
        const stored = await dict.get(keyOf(ctx));
        const cached = typeof stored === 'string' ? decodeLimitInfo(stored) : undefined;
        if (!cached) return;
        info = { ...cached, remaining: cached.remaining - 1 };
        const ttl = Math.max(Math.ceil(info.resetAt - now()), 1) * 1000;
        await dict.set(keyOf(ctx), encodeLimitInfo(info), ttl);
      }
      for (const [name, value] of rateLimitHeaders(info, now())) ctx.addResponseHeader(name, value);
    },
  };
};

export default factory;
