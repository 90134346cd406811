/**
 * Where limiter state lives: the gateway-wide shared dictionary (default) or
 * Redis (`redis_url`), one store object per target for the whole gateway
 * (owned by its runtime, so the Redis client closes with it).
 */
import type { GatewayRuntime } from '../../src/runtime/gateway-runtime.js';
import { sharedDict } from '../../src/workers/shared-dicts.js';
import { parseRedisUrl, sharedRedisClient } from '../../src/shared/redis/index.js';
import { SharedDictLimitStore } from './dict-store.js';
import { RedisLimitStore } from './redis-store.js';
import type { LimitStore } from './store.js';

export function gatewayMemoryStore(runtime: GatewayRuntime): LimitStore {
  return runtime.own(
    'rate_limit:memory',
    () => new SharedDictLimitStore(sharedDict(runtime, 'rate_limit')),
    () => undefined,
  );
}

/** One store per Redis URL (the client is shared too). Throws RedisUrlError on a bad URL. */
export function redisStore(runtime: GatewayRuntime, url: string): LimitStore {
  return runtime.own(
    `rate_limit:redis:${url}`,
    () => new RedisLimitStore(sharedRedisClient(runtime, url), { requireReplicaAck: parseRedisUrl(url).kind === 'sentinel' }),
    () => undefined,
  );
}
