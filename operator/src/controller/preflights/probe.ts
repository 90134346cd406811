// The preflights' edge (operator.md §11.2): which servers to ask, read from the Secrets the installation uses,
// and asking each its version — Redis `INFO server` (through Sentinel: the group's master first, as the
// consumers do; plain, rediss:// TLS and ACL users), MySQL/MariaDB `SELECT VERSION()`, PostgreSQL
// `SHOW server_version`. Every connection has short connect and command timeouts and each probe an overall
// deadline, so a hung server costs a pass a few seconds, never the loop. Errors name host and port at most:
// credentials are scrubbed from every message.
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { createHash } from 'node:crypto';
import { parseRedisTarget, type ParsedTarget } from '../redis-migration/endpoints.js';
import { withConnection } from '../redis-migration/probe.js';
import type { Observation, Requirement } from './decide.js';

export const CONNECT_TIMEOUT_MS = 2000;
/** One probe's whole budget (sentinel lookups included). */
export const PROBE_DEADLINE_MS = 5000;

export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
}
/** ACL credentials from the Secret's own keys (they win over a URL's userinfo). */
export interface RedisAuth {
  username?: string;
  password?: string;
}
/** How to reach a Redis beyond its URL: Secret ACL keys, and TLS forced by a `*TLSEnabled` flag. */
export interface RedisAccess {
  auth?: RedisAuth;
  sentinelAuth?: RedisAuth;
  forceTls?: boolean;
}

export type ProbeTarget =
  | {
      kind: 'redis';
      requirement: Requirement;
      component: string;
      url: string;
      sentinelHosts: string;
      tls?: TlsMaterial;
      access?: RedisAccess;
    }
  /** `tls`: spec.system.databaseTLSEnabled, with the Secret's DB_SSL_CA/CERT/KEY and DATABASE_SSL_MODE. */
  | { kind: 'mysql' | 'postgresql'; requirement: Requirement; component: string; url: string; tls?: SqlTls }
  /** A URL we cannot ask (unknown scheme): reported as a failure, never skipped silently. */
  | { kind: 'unsupported'; requirement: Requirement; component: string; reason: string };

export interface ExternalFlags {
  backendRedis: boolean;
  systemRedis: boolean;
  systemDatabase: boolean;
}
/** The CR's `*TLSEnabled` flags for Redis (backend storage, backend queues, system). */
export interface RedisTlsFlags {
  backendRedis?: boolean;
  queues?: boolean;
  systemRedis?: boolean;
  systemDatabase?: boolean;
}
/** TLS to the system database; `mode` `require` skips verification, `verify-ca` skips the host name check. */
export interface SqlTls extends TlsMaterial {
  mode?: string;
}
export type SecretValues = (secret: string) => Readonly<Partial<Record<string, string>>>;

const first = (values: Readonly<Partial<Record<string, string>>>, ...keys: string[]): string | undefined => {
  for (const key of keys) if (values[key]) return values[key];
  return undefined;
};
const tlsOf = (values: Readonly<Partial<Record<string, string>>>, prefix: string): TlsMaterial | undefined => {
  const tls = { ca: first(values, `${prefix}CA`), cert: first(values, `${prefix}CERT`), key: first(values, `${prefix}KEY`) };
  return tls.ca || tls.cert || tls.key ? tls : undefined;
};

/**
 * The servers to ask: only the external components (§11.2), each URL once per pass. Keys read: system-database
 * URL; backend-redis REDIS_STORAGE_URL / REDIS_QUEUES_URL with their *_SENTINEL_HOSTS and TLS material
 * (REDIS_SSL_CA/CERT/KEY, REDIS_SSL_QUEUES_CA/CERT/KEY); system-redis URL with SENTINEL_HOSTS (and
 * REDIS_SSL_CA/CERT/KEY or SSL_CA/CERT/KEY).
 */
export function probeTargets(external: ExternalFlags, values: SecretValues, tlsFlags: RedisTlsFlags = {}): ProbeTarget[] {
  const targets: ProbeTarget[] = [];
  if (external.systemDatabase) {
    const database = values('system-database');
    const url = database.URL ?? '';
    const sqlTls: { tls?: SqlTls } =
      tlsFlags.systemDatabase === true
        ? {
            tls: {
              ...(database.DB_SSL_CA ? { ca: database.DB_SSL_CA } : {}),
              ...(database.DB_SSL_CERT ? { cert: database.DB_SSL_CERT } : {}),
              ...(database.DB_SSL_KEY ? { key: database.DB_SSL_KEY } : {}),
              ...(database.DATABASE_SSL_MODE ? { mode: database.DATABASE_SSL_MODE } : {}),
            },
          }
        : {};
    const scheme = /^([a-z0-9+.-]+):\/\//i.exec(url)?.[1]?.toLowerCase() ?? '';
    if (scheme === 'mysql2' || scheme === 'mysql')
      targets.push({ kind: 'mysql', requirement: 'mysql', component: 'system-database (MySQL)', url, ...sqlTls });
    else if (scheme === 'postgresql' || scheme === 'postgres')
      targets.push({ kind: 'postgresql', requirement: 'postgresql', component: 'system-database (PostgreSQL)', url, ...sqlTls });
    else if (scheme !== 'oracle-enhanced') {
      targets.push({
        kind: 'unsupported',
        requirement: 'mysql',
        component: 'system-database URL',
        reason: scheme === '' ? 'no URL scheme' : `scheme ${scheme.slice(0, 20)} is neither mysql2 nor postgresql`,
      });
    } // Oracle: not checked (as the original).
  }
  if (external.backendRedis) {
    const backend = values('backend-redis');
    targets.push(
      {
        kind: 'redis',
        requirement: 'backendRedis',
        component: 'backend-redis REDIS_STORAGE_URL',
        url: backend.REDIS_STORAGE_URL ?? '',
        sentinelHosts: backend.REDIS_STORAGE_SENTINEL_HOSTS ?? '',
        ...opt(tlsOf(backend, 'REDIS_SSL_')),
        ...accessOf(backend, 'REDIS_STORAGE_', tlsFlags.backendRedis),
      },
      {
        kind: 'redis',
        requirement: 'backendRedis',
        component: 'backend-redis REDIS_QUEUES_URL',
        url: backend.REDIS_QUEUES_URL ?? '',
        sentinelHosts: backend.REDIS_QUEUES_SENTINEL_HOSTS ?? '',
        ...opt(tlsOf(backend, 'REDIS_SSL_QUEUES_')),
        ...accessOf(backend, 'REDIS_QUEUES_', tlsFlags.queues),
      },
    );
  }
  if (external.systemRedis) {
    const system = values('system-redis');
    targets.push({
      kind: 'redis',
      requirement: 'systemRedis',
      component: 'system-redis URL',
      url: system.URL ?? '',
      sentinelHosts: system.SENTINEL_HOSTS ?? '',
      ...opt(tlsOf(system, 'REDIS_SSL_') ?? tlsOf(system, 'SSL_')),
      ...accessOf(system, 'REDIS_', tlsFlags.systemRedis),
    });
  }
  return targets;
}

const opt = (tls: TlsMaterial | undefined) => (tls ? { tls } : {});

const authOf = (values: Readonly<Partial<Record<string, string>>>, usernameKey: string, passwordKey: string): RedisAuth | undefined => {
  const username = values[usernameKey] || undefined;
  const password = values[passwordKey] || undefined;
  return username || password ? { ...(username ? { username } : {}), ...(password ? { password } : {}) } : undefined;
};

/** The `access` member of a target: ACL keys `<prefix>USERNAME`/`PASSWORD`, `<prefix>SENTINEL_USERNAME`/`PASSWORD`, TLS flag. */
function accessOf(
  values: Readonly<Partial<Record<string, string>>>,
  prefix: string,
  forceTls: boolean | undefined,
): { access?: RedisAccess } {
  const auth = authOf(values, `${prefix}USERNAME`, `${prefix}PASSWORD`);
  const sentinelAuth = authOf(values, `${prefix}SENTINEL_USERNAME`, `${prefix}SENTINEL_PASSWORD`);
  const access: RedisAccess = {
    ...(auth ? { auth } : {}),
    ...(sentinelAuth ? { sentinelAuth } : {}),
    ...(forceTls === true ? { forceTls: true } : {}),
  };
  return Object.keys(access).length > 0 ? { access } : {};
}

/** Answers (and failures) are reused this long: passes close together (events, the pass right after a confirmation) ask once. */
export const ANSWER_TTL_MS = 15_000;
const answers = new Map<string, { at: number; version: Promise<string> }>();

/**
 * Asks every target (in parallel, each server once), never throwing: an unreadable version is an observation.
 * Keyed by a digest of what is asked (URL, sentinels, TLS material), so another URL or password asks anew.
 */
export async function observe(
  targets: readonly ProbeTarget[],
  deadlineMs = PROBE_DEADLINE_MS,
  ttlMs = ANSWER_TTL_MS,
): Promise<Observation[]> {
  const now = Date.now();
  for (const [key, entry] of answers) if (now - entry.at >= ttlMs) answers.delete(key);
  return Promise.all(
    targets.map(async (target): Promise<Observation> => {
      const { requirement, component } = target;
      if (target.kind === 'unsupported') return { requirement, component, error: target.reason };
      const key = createHash('sha256')
        .update(
          JSON.stringify(
            target.kind === 'redis'
              ? [target.kind, target.url, target.sentinelHosts, target.tls, target.access, deadlineMs]
              : [target.kind, target.url, target.tls, deadlineMs],
          ),
        )
        .digest('hex');
      let version = answers.get(key)?.version;
      if (!version) {
        version = withDeadline(serverVersion(target), deadlineMs);
        answers.set(key, { at: now, version });
      }
      try {
        const text = await version;
        return {
          requirement,
          component: target.kind === 'mysql' && /mariadb/i.test(text) ? 'system-database (MariaDB)' : component,
          version: text,
        };
      } catch (error) {
        return { requirement, component, error: safeMessage(error, secretsOf(target)) };
      }
    }),
  );
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    work.catch(() => {
      /* settled after the deadline: already reported */
    });
  }
}

export function serverVersion(target: Exclude<ProbeTarget, { kind: 'unsupported' }>): Promise<string> {
  switch (target.kind) {
    case 'redis':
      return redisVersion(target.url, target.sentinelHosts, target.tls, target.access);
    case 'mysql':
      return mysqlVersion(target.url, target.tls);
    case 'postgresql':
      return postgresqlVersion(target.url, target.tls);
  }
}

// ---- Redis ----

interface RedisTarget extends Omit<ParsedTarget, 'tls'> {
  tls: boolean;
}

/** `redis://` / `rediss://` / a bare `host:port` entry, with the README's userinfo rules (a lone userinfo is the password). */
function redisTarget(text: string, defaultPort = 6379): RedisTarget {
  const parsed = parseRedisTarget(text.trim(), defaultPort);
  return { ...parsed, tls: parsed.tls === true };
}

function tlsOptions(host: string, material: TlsMaterial | undefined): ConnectionOptions {
  return {
    servername: /^[\d.]+$|:/.test(host) ? undefined : host,
    ...(material?.ca ? { ca: material.ca } : {}),
    ...(material?.cert ? { cert: material.cert } : {}),
    ...(material?.key ? { key: material.key } : {}),
  };
}

const connectTarget = (
  t: { host: string; port: number; username?: string; password?: string },
  tls: boolean,
  material: TlsMaterial | undefined,
) => ({
  host: t.host,
  port: t.port,
  ...(t.username ? { username: t.username } : {}),
  ...(t.password ? { password: t.password } : {}),
  ...(tls ? { tls: tlsOptions(t.host, material) } : {}),
});

async function infoVersion(
  target: { host: string; port: number; username?: string; password?: string },
  tls: boolean,
  material: TlsMaterial | undefined,
): Promise<string> {
  const info = await withConnection(connectTarget(target, tls, material), (redis) => redis.info('server'), CONNECT_TIMEOUT_MS);
  const version = /^redis_version:(.+)$/m.exec(info)?.[1]?.trim();
  if (!version) throw new Error('INFO server has no redis_version');
  return version;
}

/**
 * Without sentinels: the URL's server. With SENTINEL_HOSTS (or a redis+sentinel:// URL) the URL's host is the
 * group name (the original's checks asked that name as a host and failed; 3scale-operator#1088): each sentinel
 * in turn is asked for the group's master, and the master answers INFO, with the URL's credentials and TLS.
 */
export async function redisVersion(url: string, sentinelHosts: string, material?: TlsMaterial, access: RedisAccess = {}): Promise<string> {
  const withAuth = <T extends { username?: string; password?: string }>(target: T, auth: RedisAuth | undefined): T =>
    auth
      ? { ...target, ...(auth.username ? { username: auth.username } : {}), ...(auth.password ? { password: auth.password } : {}) }
      : target;
  const masterTls = (target: RedisTarget) => target.tls || access.forceTls === true;
  let group: string;
  let sentinels: RedisTarget[];
  let master: RedisTarget;
  const sentinelUrl = /^redis\+sentinel:\/\/(?:([^@/]*)@)?([^/]+)\/([^/]+)/.exec(url.trim());
  if (sentinelUrl) {
    master = withAuth({ ...redisTarget(`redis://${sentinelUrl[1] ? `${sentinelUrl[1]}@` : ''}placeholder`), tls: false }, access.auth);
    group = decodeURIComponent(sentinelUrl[3]);
    sentinels = sentinelUrl[2].split(',').map((entry) => redisTarget(entry, 26379));
  } else {
    if (url.trim() === '') throw new Error('empty URL');
    master = withAuth(redisTarget(url), access.auth);
    if (sentinelHosts.trim() === '') return infoVersion(master, masterTls(master), material);
    // The group name as written: URL parsing lower-cases host names, Sentinel group names are case-sensitive.
    group = /^rediss?:\/\/(?:[^@/]*@)?([^:/?#]+)/i.exec(url.trim())?.[1] ?? master.host;
    sentinels = sentinelHosts
      .split(',')
      .filter((e) => e.trim() !== '')
      .map((entry) => redisTarget(entry, 26379));
  }
  const reasons: string[] = [];
  for (const sentinel of sentinels) {
    let address: string[] | null;
    try {
      address = await withConnection(
        connectTarget(withAuth(sentinel, access.sentinelAuth), sentinel.tls, material),
        (redis) => redis.call('SENTINEL', 'get-master-addr-by-name', group) as Promise<string[] | null>,
        CONNECT_TIMEOUT_MS,
      );
    } catch (error) {
      reasons.push(`sentinel ${sentinel.host}:${sentinel.port}: ${firstLine(error)}`);
      continue;
    }
    if (!address || address.length < 2) {
      reasons.push(`sentinel ${sentinel.host}:${sentinel.port} does not know group "${group}"`);
      continue;
    }
    const host = address[0];
    const port = Number(address[1]);
    try {
      return await infoVersion({ host, port, username: master.username, password: master.password }, masterTls(master), material);
    } catch (error) {
      throw new Error(`master ${host}:${port} of group "${group}": ${firstLine(error)}`, { cause: error });
    }
  }
  throw new Error(reasons.join('; ') || 'no sentinel');
}

// ---- SQL ----

interface SqlUrl {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  params: URLSearchParams;
}

function sqlUrl(text: string, defaultPort: number): SqlUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('not a URL');
  }
  if (!url.hostname) throw new Error('no host in the URL');
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : defaultPort,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    params: url.searchParams,
  };
}

/** `mysql2://user:password@host[:port]/db`: the version query needs no database, so none is selected. */
export async function mysqlVersion(text: string, tls?: SqlTls): Promise<string> {
  const url = sqlUrl(text, 3306);
  const connection = await mysql.createConnection({
    host: url.host,
    port: url.port,
    user: url.user || undefined,
    password: url.password || undefined,
    connectTimeout: CONNECT_TIMEOUT_MS,
    ...(tls ? { ssl: sqlSsl(url.host, tls) as mysql.SslOptions } : {}),
  });
  connection.on('error', () => {
    /* reported through the query */
  });
  try {
    const [rows] = await connection.query({ sql: 'SELECT VERSION() AS version', timeout: CONNECT_TIMEOUT_MS });
    const version = (rows as { version?: unknown }[])[0]?.version;
    if (typeof version !== 'string') throw new Error('SELECT VERSION() returned no text');
    return version;
  } finally {
    connection.destroy();
  }
}

/** `postgresql://user:password@host[:port]/db[?sslmode=require|verify-ca|verify-full]`. */
/** TLS options of a system database connection: verified (against the Secret's CA) unless the mode is `require`. */
function sqlSsl(host: string, tls: SqlTls): ConnectionOptions {
  const mode = (tls.mode ?? '').toLowerCase();
  return {
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.cert ? { cert: tls.cert } : {}),
    ...(tls.key ? { key: tls.key } : {}),
    rejectUnauthorized: mode !== 'require' && mode !== 'required',
    ...(mode === 'verify-ca' || mode === 'verify_ca' ? { checkServerIdentity: () => undefined } : {}),
    ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }),
  };
}

export async function postgresqlVersion(text: string, tls?: SqlTls): Promise<string> {
  const url = sqlUrl(text, 5432);
  const sslmode = url.params.get('sslmode') ?? '';
  const ssl = tls
    ? sqlSsl(url.host, { ...tls, ...(tls.mode ? {} : sslmode ? { mode: sslmode } : {}) })
    : sslmode === 'require'
      ? { rejectUnauthorized: false }
      : sslmode.startsWith('verify')
        ? { rejectUnauthorized: true }
        : undefined;
  const client = new pg.Client({
    host: url.host,
    port: url.port,
    user: url.user || undefined,
    password: url.password || undefined,
    database: url.database || 'postgres',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: CONNECT_TIMEOUT_MS,
    statement_timeout: CONNECT_TIMEOUT_MS,
    ...(ssl ? { ssl } : {}),
  });
  client.on('error', () => {
    /* reported through the query */
  });
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    const version = result.rows[0]?.server_version;
    if (typeof version !== 'string') throw new Error('SHOW server_version returned no text');
    return version;
  } finally {
    await client.end().catch(() => {
      /* already closed */
    });
  }
}

// ---- messages ----

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split('\n')[0]
    .replace(/AUTH\s+\S+(\s+\S+)?/gi, 'AUTH ***')
    .slice(0, 160);
}

/** Every user name and password a target carries (to scrub them from driver messages). */
function secretsOf(target: ProbeTarget): string[] {
  if (target.kind === 'unsupported') return [];
  const texts = [target.url, ...(target.kind === 'redis' ? target.sentinelHosts.split(',') : [])];
  const found: string[] = [];
  if (target.kind === 'redis') {
    for (const auth of [target.access?.auth, target.access?.sentinelAuth])
      for (const v of [auth?.username, auth?.password]) if (v) found.push(v);
  }
  for (const text of texts) {
    const userinfo = /^[a-z0-9+.-]+:\/\/([^@/]*)@/i.exec(text.trim())?.[1] ?? /^([^@/]*)@/.exec(text.trim())?.[1];
    if (!userinfo) continue;
    for (const part of userinfo.split(':')) {
      if (part === '') continue;
      found.push(part);
      try {
        found.push(decodeURIComponent(part));
      } catch {
        /* not encoded */
      }
    }
  }
  return found.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

/** The driver's first line, with any credential and any URL replaced. */
export function safeMessage(error: unknown, secrets: readonly string[]): string {
  let message = firstLine(error);
  message = message.replace(/[a-z0-9+.-]+:\/\/\S+/gi, '<url>');
  for (const secret of secrets) message = message.split(secret).join('***');
  return message;
}
