// Reachability check before every roll (operator.md §4.4 "Validation"): without sentinels the URL's host must
// answer AUTH (when a password is given), SELECT <db> and PING; with sentinels at least one sentinel must name the
// group's master (`SENTINEL get-master-addr-by-name`), and that master — or for role `slave` one replica — must
// answer the same. Reasons never include a URL or password.
import { Redis } from 'ioredis';
import type { ConnectionOptions } from 'node:tls';
import { parseRedisTarget, type EndpointAccess, type EndpointProblem, type RedisEndpoint } from './endpoints.js';

const TIMEOUT_MS = 2000;

export interface RedisConnectTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
  tls?: ConnectionOptions;
}

/** One short-lived connection (no retry, no offline queue, 2 s connect and command timeouts); also used by the preflights. */
export async function withConnection<T>(
  target: RedisConnectTarget,
  work: (redis: Redis) => Promise<T>,
  timeoutMs = TIMEOUT_MS,
): Promise<T> {
  const redis = new Redis({
    host: target.host,
    port: target.port,
    username: target.username,
    password: target.password,
    ...(target.tls ? { tls: target.tls } : {}),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // Reported through the command's rejection; ioredis then says only "Connection is closed", so the socket's
  // own error (refused, TLS, WRONGPASS) replaces that message.
  let socketError: Error | undefined;
  redis.on('error', (error: Error) => {
    socketError = error;
  });
  try {
    await redis.connect();
    return await work(redis);
  } catch (error) {
    if (socketError && error instanceof Error && /Connection is closed/.test(error.message)) throw socketError;
    throw error;
  } finally {
    redis.disconnect();
  }
}

async function pingData(
  target: { host: string; port: number; username?: string; password?: string; db: number; tls?: true },
  material?: EndpointAccess['tls'],
): Promise<void> {
  await withConnection(connectable(target, material), async (redis) => {
    await redis.select(target.db);
    // What the server answered: the client's type says PONG, the check is that it did.
    const pong: string = await redis.ping();
    if (pong !== 'PONG') throw new Error('PING did not answer PONG');
  });
}

/**
 * rediss:// (or a `*TLSEnabled` flag): TLS verified against the Secret's CA when it has one, else the system CAs
 * (the server name is the host, unless an IP address); the Secret's client certificate when it has one.
 */
function connectable(
  target: { host: string; port: number; username?: string; password?: string; tls?: true },
  material?: EndpointAccess['tls'],
): RedisConnectTarget {
  const { host, port, username, password } = target;
  const tls = target.tls === true || material?.forced === true;
  const options = {
    servername: /^[\d.]+$|:/.test(host) ? undefined : host,
    ...(material?.ca ? { ca: material.ca } : {}),
    ...(material?.cert ? { cert: material.cert } : {}),
    ...(material?.key ? { key: material.key } : {}),
  };
  return { host, port, username, password, ...(tls ? { tls: options } : {}) };
}

const withAuth = <T extends { username?: string; password?: string }>(
  target: T,
  auth: { username?: string; password?: string } | undefined,
): T =>
  auth
    ? { ...target, ...(auth.username ? { username: auth.username } : {}), ...(auth.password ? { password: auth.password } : {}) }
    : target;

export async function probeEndpoint(endpoint: RedisEndpoint): Promise<EndpointProblem | undefined> {
  const fail = (key: string, reason: string): EndpointProblem => ({ secret: endpoint.secret, key, reason });
  const target = withAuth(parseRedisTarget(endpoint.url), endpoint.access?.auth);
  const material = endpoint.access?.tls;
  // Sentinels: TLS only for rediss:// entries, with the Secret's material when they use TLS.
  const sentinelMaterial = material ? { ...material, forced: false } : undefined;
  if (endpoint.hosts.trim() === '') {
    try {
      await pingData(target, material);
      return undefined;
    } catch (error) {
      return fail(endpoint.urlKey, `Redis at ${target.host}:${target.port} not reachable (${describe(error)})`);
    }
  }
  const group = target.host;
  const sentinels = endpoint.hosts
    .split(',')
    .map((entry) => withAuth(parseRedisTarget(entry.trim(), 26379), endpoint.access?.sentinelAuth));
  let lastReason = 'no sentinel answered';
  for (const sentinel of sentinels) {
    try {
      const address = await withConnection(
        connectable(sentinel, sentinelMaterial),
        (redis) => redis.call('SENTINEL', 'get-master-addr-by-name', group) as Promise<string[] | null>,
      );
      if (!address) {
        lastReason = `sentinel ${sentinel.host}:${sentinel.port} does not know group "${group}"`;
        continue;
      }
      const candidates =
        endpoint.role === 'slave'
          ? await withConnection(
              connectable(sentinel, sentinelMaterial),
              (redis) => redis.call('SENTINEL', 'replicas', group) as Promise<string[][]>,
            ).then(replicaAddresses)
          : [{ host: address[0], port: Number(address[1]) }];
      for (const candidate of candidates) {
        try {
          await pingData(
            {
              ...candidate,
              db: target.db,
              username: target.username,
              password: target.password,
              ...(target.tls ? { tls: target.tls } : {}),
            },
            material,
          );
          return undefined;
        } catch (error) {
          lastReason = `${endpoint.role === 'slave' ? 'replica' : 'master'} ${candidate.host}:${candidate.port} of group "${group}" not reachable (${describe(error)})`;
        }
      }
      if (candidates.length === 0) lastReason = `group "${group}" has no replica`;
    } catch (error) {
      lastReason = `sentinel ${sentinel.host}:${sentinel.port} not reachable (${describe(error)})`;
    }
  }
  return fail(endpoint.hostsKey, lastReason);
}

function replicaAddresses(replicas: string[][]): { host: string; port: number }[] {
  return replicas.map((fields) => {
    const get = (name: string): string => fields[fields.indexOf(name) + 1] ?? '';
    return { host: get('ip'), port: Number(get('port')) };
  });
}

export function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // ioredis messages may quote the command; keep the first line and never echo arguments.
  return message
    .split('\n')[0]
    .replace(/AUTH\s+\S+/g, 'AUTH ***')
    .slice(0, 120);
}
