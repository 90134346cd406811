/**
 * Redis URLs as the gateway accepts them (spec README "Redis URLs"):
 *   redis://[userinfo@]host[:port][/db]            lone userinfo = password
 *   redis+sentinel://[[user]:password@]h1:p1[,hN:pN]/<master-name>[/db]
 * Pure parsing; ./client.ts turns the result into an ioredis client.
 */

export class RedisUrlError extends Error {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    // The URL may carry a password: name the problem, never echo the userinfo.
    super(`invalid Redis URL ${redactRedisUrl(url)}: ${reason}`);
    this.name = 'RedisUrlError';
  }
}

export interface RedisEndpoint {
  host: string;
  port: number;
}

export interface StandaloneRedis {
  kind: 'standalone';
  host: string;
  port: number;
  db: number;
  username: string | undefined;
  password: string | undefined;
}

export interface SentinelRedis {
  kind: 'sentinel';
  sentinels: RedisEndpoint[];
  masterName: string;
  db: number;
  username: string | undefined;
  password: string | undefined;
}

export type RedisTarget = StandaloneRedis | SentinelRedis;

/** The URL with any userinfo replaced by `***` (for logs and errors). */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^@/]*@/i, '$1***@');
}

function decode(url: string, part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new RedisUrlError(url, 'malformed percent-encoding in the credentials');
  }
}

function parseUserinfo(url: string, userinfo: string | undefined): { username: string | undefined; password: string | undefined } {
  if (userinfo === undefined || userinfo === '') return { username: undefined, password: undefined };
  const colon = userinfo.indexOf(':');
  if (colon < 0) return { username: undefined, password: decode(url, userinfo) };
  const user = userinfo.slice(0, colon);
  return { username: user === '' ? undefined : decode(url, user), password: decode(url, userinfo.slice(colon + 1)) };
}

function parsePort(url: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text)) throw new RedisUrlError(url, `port "${text}" is not a number`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw new RedisUrlError(url, `port ${port} is out of range`);
  return port;
}

function parseDb(url: string, text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  if (!/^\d+$/.test(text)) throw new RedisUrlError(url, `database "${text}" is not a number`);
  return Number(text);
}

function parseHostPort(url: string, text: string, defaultPort: number): RedisEndpoint {
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) return { host: bracketed[1], port: parsePort(url, bracketed[2], defaultPort) };
  const colon = text.lastIndexOf(':');
  const host = colon < 0 ? text : text.slice(0, colon);
  if (host === '') throw new RedisUrlError(url, 'host is missing');
  return { host, port: parsePort(url, colon < 0 ? undefined : text.slice(colon + 1), defaultPort) };
}

export function parseRedisUrl(url: string): RedisTarget {
  const match = /^([a-z+]+):\/\/(?:([^@/]*)@)?([^/?#]*)(\/[^?#]*)?$/i.exec(url.trim());
  if (!match)
    throw new RedisUrlError(url, 'expected redis://[password@]host[:port][/db] or redis+sentinel://host:port[,host:port]/master[/db]');
  const [, scheme, userinfo, authority, rawPath] = match as unknown as [string, string, string | undefined, string, string | undefined];
  const { username, password } = parseUserinfo(url, userinfo);
  const segments = (rawPath ?? '').split('/').filter((s) => s !== '');
  switch (scheme.toLowerCase()) {
    case 'redis': {
      if (authority === '') throw new RedisUrlError(url, 'host is missing');
      if (segments.length > 1) throw new RedisUrlError(url, 'path must be at most /<db>');
      const { host, port } = parseHostPort(url, authority, 6379);
      return { kind: 'standalone', host, port, db: parseDb(url, segments[0]), username, password };
    }
    case 'redis+sentinel': {
      if (authority === '') throw new RedisUrlError(url, 'at least one sentinel host:port is required');
      const sentinels = authority.split(',').map((part) => parseHostPort(url, part, 26379));
      if (segments.length === 0) throw new RedisUrlError(url, 'the master name is missing (redis+sentinel://host:port/<master-name>)');
      if (segments.length > 2) throw new RedisUrlError(url, 'path must be /<master-name>[/<db>]');
      return { kind: 'sentinel', sentinels, masterName: decode(url, segments[0]), db: parseDb(url, segments[1]), username, password };
    }
    default:
      throw new RedisUrlError(url, `scheme "${scheme}" is not redis or redis+sentinel`);
  }
}

/** REDIS_URL, else REDIS_HOST/REDIS_PORT (gateway.md), else undefined. */
export function redisUrlFromEnv(env: Record<string, string | undefined>): string | undefined {
  if (env['REDIS_URL']) return env['REDIS_URL'];
  if (env['REDIS_HOST']) return `redis://${env['REDIS_HOST']}:${env['REDIS_PORT'] || '6379'}`;
  return undefined;
}
