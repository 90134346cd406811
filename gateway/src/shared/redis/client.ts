/**
 * ioredis clients for policies (rate_limit, …): one per URL per process,
 * shared by every policy instance and kept across configuration reloads.
 * Sentinel URLs follow failovers without a restart: ioredis asks the
 * sentinels for the master after a disconnect, and a READONLY answer (the
 * old master demoted while still connected) forces a reconnect + retry.
 */
import type { GatewayRuntime } from '../../runtime/gateway-runtime.js';
import { Redis, type RedisOptions } from 'ioredis';
import { parseRedisUrl, type RedisTarget } from './url.js';

/** Fail fast enough for a request path; a failing command becomes the policy's error response. */
const COMMON: RedisOptions = {
  maxRetriesPerRequest: 2,
  commandTimeout: 3000,
  connectTimeout: 2000,
  enableOfflineQueue: true,
  lazyConnect: false,
  retryStrategy: (times) => Math.min(50 * times, 500),
  reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 2 : false),
};

export function redisOptions(target: RedisTarget): RedisOptions {
  const auth = {
    ...(target.username !== undefined ? { username: target.username } : {}),
    ...(target.password !== undefined ? { password: target.password } : {}),
  };
  if (target.kind === 'standalone') return { ...COMMON, ...auth, host: target.host, port: target.port, db: target.db };
  return {
    ...COMMON,
    ...auth,
    sentinels: target.sentinels,
    name: target.masterName,
    db: target.db,
    failoverDetector: true,
    sentinelRetryStrategy: (times) => Math.min(100 * times, 1000),
  };
}

/**
 * The gateway's client for `url` (created on first use, one per URL for the
 * whole gateway, closed when the gateway stops). Throws RedisUrlError for a bad URL.
 */
export function sharedRedisClient(runtime: GatewayRuntime, url: string): Redis {
  const target = parseRedisUrl(url);
  return runtime.own(
    `redis:${url}`,
    () => {
      const client = new Redis(redisOptions(target));
      // Errors surface on commands; an 'error' listener keeps ioredis from printing them raw.
      client.on('error', () => undefined);
      return client;
    },
    (client) =>
      client.quit().catch(() => {
        client.disconnect();
      }),
  );
}
