// Every key of every operator-created Secret (operator-objects §6), as data: default, template parameter, and
// how derived values are computed from other *effective* values.
import type { ApiManagerModel } from '../model/types.js';
import type { ValueSource, ValueSpec } from './value-source.js';

export type Lookup = (secret: string, key: string) => string;

export type KeyDefault = ValueSpec | { kind: 'derived'; compute: (model: ApiManagerModel, get: Lookup, source: ValueSource) => string };

export interface SecretSpec {
  name: string;
  type?: string;
  keys: { key: string; default: KeyDefault }[];
}

const lit = (value: string, param?: string): ValueSpec =>
  param === undefined ? { kind: 'literal', value } : { kind: 'literal', value, param };
const rand = (length: number, param: string, templateFrom: string): ValueSpec => ({ kind: 'random', length, param, templateFrom });
const derived = (compute: (model: ApiManagerModel, get: Lookup, source: ValueSource) => string): KeyDefault => ({
  kind: 'derived',
  compute,
});

/** Template parameters of the MySQL/PostgreSQL URL parts that are not secret keys themselves. */
export const SYSTEM_DATABASE_NAME: ValueSpec = lit('system', 'SYSTEM_DATABASE');
export const SYSTEM_DATABASE_ROOT_PASSWORD: ValueSpec = rand(8, 'SYSTEM_DATABASE_ROOT_PASSWORD', '[a-z0-9]{8}');

export const BACKEND_INTERNAL_API: SecretSpec = {
  name: 'backend-internal-api',
  keys: [
    { key: 'username', default: lit('3scale_api_user', 'SYSTEM_BACKEND_USERNAME') },
    { key: 'password', default: rand(8, 'SYSTEM_BACKEND_PASSWORD', '[a-z0-9]{8}') },
  ],
};

export const BACKEND_LISTENER: SecretSpec = {
  name: 'backend-listener',
  keys: [
    { key: 'service_endpoint', default: lit('http://backend-listener:3000') },
    { key: 'route_endpoint', default: derived((m) => `https://backend-${m.tenantName}.${m.wildcardDomain}`) },
  ],
};

export const BACKEND_REDIS: SecretSpec = {
  name: 'backend-redis',
  keys: [
    { key: 'REDIS_STORAGE_URL', default: lit('redis://backend-redis:6379/0') },
    { key: 'REDIS_QUEUES_URL', default: lit('redis://backend-redis:6379/1') },
    { key: 'REDIS_STORAGE_SENTINEL_HOSTS', default: lit('') },
    { key: 'REDIS_STORAGE_SENTINEL_ROLE', default: lit('') },
    { key: 'REDIS_QUEUES_SENTINEL_HOSTS', default: lit('') },
    { key: 'REDIS_QUEUES_SENTINEL_ROLE', default: lit('') },
  ],
};

export const SYSTEM_DATABASE_MYSQL: SecretSpec = {
  name: 'system-database',
  keys: [
    {
      key: 'URL',
      default: derived(
        (_m, _get, source) =>
          `mysql2://root:${source.value(SYSTEM_DATABASE_ROOT_PASSWORD)}@system-mysql/${source.value(SYSTEM_DATABASE_NAME)}`,
      ),
    },
    { key: 'DB_USER', default: lit('mysql', 'SYSTEM_DATABASE_USER') },
    { key: 'DB_PASSWORD', default: rand(8, 'SYSTEM_DATABASE_PASSWORD', '[a-z0-9]{8}') },
  ],
};

export const SYSTEM_DATABASE_POSTGRESQL: SecretSpec = {
  name: 'system-database',
  keys: [
    { key: 'DB_USER', default: lit('system', 'SYSTEM_DATABASE_USER') },
    { key: 'DB_PASSWORD', default: rand(8, 'SYSTEM_DATABASE_PASSWORD', '[a-z0-9]{8}') },
    {
      key: 'URL',
      default: derived(
        (_m, get, source) =>
          `postgresql://${get('system-database', 'DB_USER')}:${get('system-database', 'DB_PASSWORD')}@system-postgresql/${source.value(SYSTEM_DATABASE_NAME)}`,
      ),
    },
  ],
};

export const SYSTEM_EVENTS_HOOK: SecretSpec = {
  name: 'system-events-hook',
  keys: [
    { key: 'URL', default: lit('http://system-master:3000/master/events/import') },
    { key: 'PASSWORD', default: rand(8, 'SYSTEM_BACKEND_SHARED_SECRET', '[a-z0-9]{8}') },
  ],
};

export const SYSTEM_REDIS: SecretSpec = {
  name: 'system-redis',
  keys: [
    { key: 'URL', default: lit('redis://system-redis:6379/1', 'SYSTEM_REDIS_URL') },
    { key: 'SENTINEL_HOSTS', default: lit('') },
    { key: 'SENTINEL_ROLE', default: lit('') },
    { key: 'MESSAGE_BUS_URL', default: lit('', 'SYSTEM_MESSAGE_BUS_REDIS_URL') },
    { key: 'MESSAGE_BUS_SENTINEL_HOSTS', default: lit('') },
    { key: 'MESSAGE_BUS_SENTINEL_ROLE', default: lit('') },
    { key: 'NAMESPACE', default: lit('', 'SYSTEM_REDIS_NAMESPACE') },
    { key: 'MESSAGE_BUS_NAMESPACE', default: lit('', 'SYSTEM_MESSAGE_BUS_REDIS_NAMESPACE') },
  ],
};

export const SYSTEM_MASTER_APICAST: SecretSpec = {
  name: 'system-master-apicast',
  keys: [
    { key: 'ACCESS_TOKEN', default: rand(8, 'APICAST_ACCESS_TOKEN', '[a-z0-9]{8}') },
    {
      key: 'PROXY_CONFIGS_ENDPOINT',
      default: derived((_m, get) => `http://${get('system-master-apicast', 'ACCESS_TOKEN')}@system-master:3000/master/api/proxy/configs`),
    },
  ],
};

export const SYSTEM_SEED: SecretSpec = {
  name: 'system-seed',
  keys: [
    { key: 'MASTER_DOMAIN', default: lit('master', 'MASTER_NAME') },
    { key: 'MASTER_USER', default: lit('master', 'MASTER_USER') },
    { key: 'MASTER_PASSWORD', default: rand(8, 'MASTER_PASSWORD', '[a-z0-9]{8}') },
    { key: 'MASTER_ACCESS_TOKEN', default: rand(8, 'MASTER_ACCESS_TOKEN', '[a-z0-9]{8}') },
    { key: 'ADMIN_USER', default: lit('admin', 'ADMIN_USERNAME') },
    { key: 'ADMIN_PASSWORD', default: rand(8, 'ADMIN_PASSWORD', '[a-z0-9]{8}') },
    { key: 'ADMIN_ACCESS_TOKEN', default: rand(16, 'ADMIN_ACCESS_TOKEN', '[a-z0-9]{16}') },
    { key: 'ADMIN_EMAIL', default: lit('', 'ADMIN_EMAIL') },
    { key: 'TENANT_NAME', default: derived((m) => m.tenantName) },
  ],
};

export const SYSTEM_RECAPTCHA: SecretSpec = {
  name: 'system-recaptcha',
  keys: [
    { key: 'PUBLIC_KEY', default: lit('', 'RECAPTCHA_PUBLIC_KEY') },
    { key: 'PRIVATE_KEY', default: lit('', 'RECAPTCHA_PRIVATE_KEY') },
  ],
};

export const SYSTEM_APP: SecretSpec = {
  name: 'system-app',
  keys: [{ key: 'SECRET_KEY_BASE', default: rand(128, 'SYSTEM_APP_SECRET_KEY_BASE', '[a-f0-9]{128}') }],
};

export const SYSTEM_MEMCACHE: SecretSpec = {
  name: 'system-memcache',
  keys: [{ key: 'SERVERS', default: lit('system-memcache:11211') }],
};

export const SYSTEM_SMTP: SecretSpec = {
  name: 'system-smtp',
  // The original builder leaves the type unset (stored as Opaque by the API server).
  keys: ['address', 'username', 'password', 'domain', 'port', 'authentication', 'openssl.verify.mode'].map((key) => ({
    key,
    default: lit(''),
  })),
};

export const ZYNC: SecretSpec = {
  name: 'zync',
  keys: [
    { key: 'ZYNC_DATABASE_PASSWORD', default: rand(16, 'ZYNC_DATABASE_PASSWORD', '[a-zA-Z0-9]{16}') },
    {
      key: 'DATABASE_URL',
      default: derived((_m, get) => `postgresql://zync:${get('zync', 'ZYNC_DATABASE_PASSWORD')}@zync-database:5432/zync_production`),
    },
    { key: 'SECRET_KEY_BASE', default: rand(16, 'ZYNC_SECRET_KEY_BASE', '[a-zA-Z0-9]{16}') },
    { key: 'ZYNC_AUTHENTICATION_TOKEN', default: rand(16, 'ZYNC_AUTHENTICATION_TOKEN', '[a-zA-Z0-9]{16}') },
  ],
};

export const APICAST_CONFIGURATION_URL: SecretSpec = {
  name: 'apicast-configuration-url-secret',
  type: 'kubernetes.io/basic-auth',
  keys: [
    {
      key: 'password',
      default: derived((m, get) => `https://${get('system-seed', 'ADMIN_ACCESS_TOKEN')}@${m.tenantName}-admin.${m.wildcardDomain}`),
    },
  ],
};

/** Secrets the operator creates for a model, in resolution order (a derived key only reads earlier ones). */
export function operatorSecretSpecs(model: ApiManagerModel): SecretSpec[] {
  const database = model.system.database;
  return [
    BACKEND_INTERNAL_API,
    BACKEND_LISTENER,
    ...(model.external.backendRedis ? [] : [BACKEND_REDIS]),
    ...(database.kind === 'mysql' ? [SYSTEM_DATABASE_MYSQL] : database.kind === 'postgresql' ? [SYSTEM_DATABASE_POSTGRESQL] : []),
    SYSTEM_SMTP,
    SYSTEM_EVENTS_HOOK,
    ...(model.external.systemRedis ? [] : [SYSTEM_REDIS]),
    SYSTEM_MASTER_APICAST,
    SYSTEM_SEED,
    SYSTEM_RECAPTCHA,
    SYSTEM_APP,
    SYSTEM_MEMCACHE,
    ZYNC,
    APICAST_CONFIGURATION_URL,
  ];
}
