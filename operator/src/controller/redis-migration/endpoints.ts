// The Redis endpoints a consumer reads, from the effective secret values, and their syntax check (the README's
// Redis URL grammar, secrets/redis-url.ts). Problems name the secret and the key, never a value.
import { REDIS_CONSUMER_KEYS } from '../../components/common/redis-hash.js';
import { redisUrlProblem, sentinelHostsProblem, sentinelRoleProblem } from '../../secrets/redis-url.js';

export type Values = Readonly<Partial<Record<string, Readonly<Partial<Record<string, string>>>>>>;

/** 2.15+: ACL keys of the Secret (they win over the URL's userinfo) and TLS material / a forcing `*TLSEnabled` flag. */
export interface EndpointAccess {
  auth?: { username?: string; password?: string };
  sentinelAuth?: { username?: string; password?: string };
  tls?: { forced: boolean; ca?: string; cert?: string; key?: string };
}

export interface RedisEndpoint {
  access?: EndpointAccess;
  secret: string;
  urlKey: string;
  url: string;
  hostsKey: string;
  hosts: string;
  roleKey: string;
  role: string;
}

export interface EndpointProblem {
  secret: string;
  key: string;
  reason: string;
}

/** [urlKey, sentinelHostsKey, roleKey] per secret. */
const GROUPS: Record<string, [string, string, string][]> = {
  'backend-redis': [
    ['REDIS_STORAGE_URL', 'REDIS_STORAGE_SENTINEL_HOSTS', 'REDIS_STORAGE_SENTINEL_ROLE'],
    ['REDIS_QUEUES_URL', 'REDIS_QUEUES_SENTINEL_HOSTS', 'REDIS_QUEUES_SENTINEL_ROLE'],
  ],
  'system-redis': [
    ['URL', 'SENTINEL_HOSTS', 'SENTINEL_ROLE'],
    ['MESSAGE_BUS_URL', 'MESSAGE_BUS_SENTINEL_HOSTS', 'MESSAGE_BUS_SENTINEL_ROLE'],
  ],
};

/** [ACL key prefix, TLS material prefix, `*TLSEnabled` flag] per [secret, url key]. */
const ACCESS: Partial<Record<string, [string, string, 'backendRedis' | 'queues' | 'systemRedis']>> = {
  'backend-redis/REDIS_STORAGE_URL': ['REDIS_STORAGE_', 'REDIS_SSL_', 'backendRedis'],
  'backend-redis/REDIS_QUEUES_URL': ['REDIS_QUEUES_', 'REDIS_SSL_QUEUES_', 'queues'],
  'system-redis/URL': ['REDIS_', 'REDIS_SSL_', 'systemRedis'],
};

function accessOf(
  values: Readonly<Partial<Record<string, string>>>,
  secretKey: string,
  flags: Readonly<Partial<Record<'backendRedis' | 'queues' | 'systemRedis', boolean>>>,
): { access?: EndpointAccess } {
  const spec = ACCESS[secretKey];
  if (spec === undefined) return {};
  const [acl, tls, flag] = spec;
  const pick = (user: string, pass: string) => {
    const username = values[user] || undefined;
    const password = values[pass] || undefined;
    return username || password ? { ...(username ? { username } : {}), ...(password ? { password } : {}) } : undefined;
  };
  const auth = pick(`${acl}USERNAME`, `${acl}PASSWORD`);
  const sentinelAuth = pick(`${acl}SENTINEL_USERNAME`, `${acl}SENTINEL_PASSWORD`);
  const forced = flags[flag] === true;
  const material = {
    ...(values[`${tls}CA`] ? { ca: values[`${tls}CA`] } : {}),
    ...(values[`${tls}CERT`] ? { cert: values[`${tls}CERT`] } : {}),
    ...(values[`${tls}KEY`] ? { key: values[`${tls}KEY`] } : {}),
  };
  const access: EndpointAccess = {
    ...(auth ? { auth } : {}),
    ...(sentinelAuth ? { sentinelAuth } : {}),
    ...(forced || Object.keys(material).length > 0 ? { tls: { forced, ...material } } : {}),
  };
  return Object.keys(access).length > 0 ? { access } : {};
}

export function consumerEndpoints(
  consumer: string,
  values: Values,
  tlsFlags: Readonly<Partial<Record<'backendRedis' | 'queues' | 'systemRedis', boolean>>> = {},
): RedisEndpoint[] {
  const keys = new Set(REDIS_CONSUMER_KEYS[consumer] ?? []);
  const endpoints: RedisEndpoint[] = [];
  for (const [secret, groups] of Object.entries(GROUPS)) {
    for (const [urlKey, hostsKey, roleKey] of groups) {
      if (!keys.has(`${secret}/${urlKey}`)) continue;
      const url = values[secret]?.[urlKey] ?? '';
      // MESSAGE_BUS_URL empty is valid: system then derives the bus from URL (operator.md §10, item 7).
      if (url === '' && urlKey === 'MESSAGE_BUS_URL') continue;
      endpoints.push({
        secret,
        urlKey,
        url,
        hostsKey,
        hosts: values[secret]?.[hostsKey] ?? '',
        roleKey,
        role: values[secret]?.[roleKey] ?? '',
        ...accessOf(values[secret] ?? {}, `${secret}/${urlKey}`, tlsFlags),
      });
    }
  }
  return endpoints;
}

export function endpointSyntaxProblems(endpoint: RedisEndpoint): EndpointProblem[] {
  const problems: EndpointProblem[] = [];
  const urlProblem = redisUrlProblem(endpoint.url);
  if (urlProblem) problems.push({ secret: endpoint.secret, key: endpoint.urlKey, reason: urlProblem });
  const hostsProblem = sentinelHostsProblem(endpoint.hosts);
  if (hostsProblem) problems.push({ secret: endpoint.secret, key: endpoint.hostsKey, reason: hostsProblem });
  const roleProblem = sentinelRoleProblem(endpoint.role);
  if (roleProblem) problems.push({ secret: endpoint.secret, key: endpoint.roleKey, reason: roleProblem });
  return problems;
}

export interface ParsedTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  tls?: true;
}

/** `redis[s]://[[user]:password@]host[:port][/db]`; a lone userinfo is the password (README "Redis URLs"); `tls` for rediss. */
export function parseRedisTarget(text: string, defaultPort = 6379): ParsedTarget {
  const tls = text.startsWith('rediss://');
  if (tls) return { ...parseRedisTarget(`redis://${text.slice('rediss://'.length)}`, defaultPort), tls: true };
  const url = new URL(text.startsWith('redis://') ? text : `redis://${text}`);
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const auth =
    url.password === '' && !text.includes(':@') && user !== ''
      ? { password: user }
      : { ...(user ? { username: user } : {}), ...(pass ? { password: pass } : {}) };
  const db = Number(url.pathname.replace(/^\//, '') || '0');
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : defaultPort, db, ...auth };
}
