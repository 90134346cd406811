export { parseRedisUrl, redactRedisUrl, redisUrlFromEnv, RedisUrlError } from './url.js';
export type { RedisTarget, StandaloneRedis, SentinelRedis, RedisEndpoint } from './url.js';
export { sharedRedisClient, redisOptions } from './client.js';
