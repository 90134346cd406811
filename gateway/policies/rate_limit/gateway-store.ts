/**
 * Where limiter state lives: the gateway-wide shared dictionary (default) or
 * Redis (`redis_url`), one store object per target for the whole process.
 */
import { sharedDict } from '../../src/workers/shared-dicts.js';
import { parseRedisUrl, sharedRedisClient } from '../../src/shared/redis/index.js';
import { SharedDictLimitStore } from './dict-store.js';
import { RedisLimitStore } from './redis-store.js';
import type { LimitStore } from './store.js';

let memory: LimitStore | undefined;

export function gatewayMemoryStore(): LimitStore {
  memory ??= new SharedDictLimitStore(sharedDict('rate_limit'));
  return memory;
}

const redisStores = new Map<string, LimitStore>();

/** One store per Redis URL (the client is shared too). Throws RedisUrlError on a bad URL. */
export function redisStore(url: string): LimitStore {
  let store = redisStores.get(url);
  if (!store) {
    store = new RedisLimitStore(sharedRedisClient(url), { requireReplicaAck: parseRedisUrl(url).kind === 'sentinel' });
    redisStores.set(url, store);
  }
  return store;
}
