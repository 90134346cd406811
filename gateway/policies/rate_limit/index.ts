/**
 * rate_limit — "Edge Limiting" (policies.md §5.23). access: check every
 * selected limiter, all-or-nothing; log: release connection slots.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { PolicyConfigurationError } from '../../src/chain/policy.js';
import { liquidScope } from '../../src/shared/liquid/index.js';
import { ALWAYS } from '../../src/shared/conditions/index.js';
import { parseRedisUrl, redactRedisUrl } from '../../src/shared/redis/index.js';
import { gatewayMemoryStore, redisStore } from './gateway-store.js';
import { compileLimiters, type Limiter } from './limiters.js';
import type { LimitStore } from './store.js';
import type { RateLimitConfig, RateLimitConfigurationError, RateLimitLimitsExceededError } from './config.generated.js';
import { asError } from '../../src/shared/errors.js';

interface ErrorSettings {
  status: number;
  exit: boolean;
}

/** Per instance (the original's shared mutable defaults are a quirk not kept, §5.23). */
function errorSettings(json: RateLimitLimitsExceededError | RateLimitConfigurationError | undefined, defaultStatus: number): ErrorSettings {
  const j = json ?? {};
  return { status: j.status_code ?? defaultStatus, exit: (j.error_handling ?? 'exit') === 'exit' };
}

const factory: PolicyFactory<RateLimitConfig> = (configuration, build) => {
  const warn = (message: string) => {
    build.log.warn(message);
  };
  const limiters = compileLimiters(configuration, warn);
  const exceeded = errorSettings(configuration.limits_exceeded_error, 429);
  const configError = errorSettings(configuration.configuration_error, 500);
  const redisUrl = configuration.redis_url;
  let store: LimitStore;
  if (redisUrl) {
    try {
      parseRedisUrl(redisUrl);
    } catch (err) {
      throw new PolicyConfigurationError('redis_url', (err as Error).message);
    }
    store = redisStore(build.runtime, redisUrl);
  } else {
    store = gatewayMemoryStore(build.runtime);
  }
  // The Liquid scope costs an allocation per request: only when a key or a condition renders.
  const needsScope = limiters.some((l) => !l.name.constant || l.condition !== ALWAYS);
  /** Connection slots held by a request, released in log. */
  const held = new WeakMap<PolicyContext, string[]>();

  async function undoAll(done: { limiter: Limiter; key: string }[]): Promise<void> {
    await Promise.all(done.map(({ limiter, key }) => limiter.undo(store, key).catch(() => undefined)));
  }

  return {
    async access(ctx: PolicyContext) {
      if (limiters.length === 0) return;
      const scope = needsScope ? liquidScope(ctx) : {};
      const serviceId = ctx.service?.id;
      const done: { limiter: Limiter; key: string }[] = [];
      let delay = 0;
      try {
        for (const limiter of limiters) {
          if (!limiter.condition.evaluate(scope)) continue;
          const key = limiter.key(limiter.name.render(scope), serviceId);
          const verdict = await limiter.acquire(store, key);
          if (!verdict.allowed) {
            await undoAll(done);
            if (exceeded.exit) {
              ctx.exit(exceeded.status);
              return;
            }
            ctx.log.warn({ limiter: limiter.type }, 'rate_limit: limits exceeded (error_handling: log, request continues)');
            return;
          }
          done.push({ limiter, key });
          delay = Math.max(delay, verdict.delay);
        }
      } catch (err) {
        await undoAll(done);
        ctx.log.error(
          { err: (err as Error).message, redis: redisUrl ? redactRedisUrl(redisUrl) : undefined },
          'rate_limit: limiter store failed',
        );
        if (configError.exit) ctx.exit(configError.status);
        return;
      }
      const connections = done.filter((d) => d.limiter.type === 'connections').map((d) => d.key);
      if (connections.length > 0) held.set(ctx, connections);
      if (delay > 0) await sleep(delay * 1000);
    },
    log(ctx: PolicyContext) {
      const keys = held.get(ctx);
      if (!keys) return;
      held.delete(ctx);
      // After the response: the client never waits for this.
      for (const key of keys)
        store.connectionLeave(key).catch((err: unknown) => {
          ctx.log.warn({ err: asError(err).message }, 'rate_limit: could not release a connection slot');
        });
    },
  };
};

export default factory;
