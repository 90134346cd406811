// Image resolution (README decisions "images"): CR field → RELATED_IMAGE_<X> → <X>_IMAGE → built-in default.
import type { ApiManagerImages } from './types.js';
import { OPERATOR_PACKAGE_VERSION } from './version.js';

export type Env = Readonly<Record<string, string | undefined>>;

interface ImageSource {
  related: string;
  legacy: string;
  builtIn: string;
}

export const GATEWAY_IMAGE = `quay.io/threescale-ts/apicast:${OPERATOR_PACKAGE_VERSION}`;

export const IMAGE_SOURCES: Record<keyof ApiManagerImages, ImageSource> = {
  apicast: { related: 'RELATED_IMAGE_APICAST', legacy: 'APICAST_IMAGE', builtIn: GATEWAY_IMAGE },
  backend: { related: 'RELATED_IMAGE_BACKEND', legacy: 'BACKEND_IMAGE', builtIn: 'registry.redhat.io/3scale-amp2/backend-rhel7:3scale2.9' },
  system: { related: 'RELATED_IMAGE_SYSTEM', legacy: 'SYSTEM_IMAGE', builtIn: 'registry.redhat.io/3scale-amp2/system-rhel7:3scale2.9' },
  zync: { related: 'RELATED_IMAGE_ZYNC', legacy: 'ZYNC_IMAGE', builtIn: 'registry.redhat.io/3scale-amp2/zync-rhel7:3scale2.9' },
  systemMemcached: {
    related: 'RELATED_IMAGE_SYSTEM_MEMCACHED',
    legacy: 'SYSTEM_MEMCACHED_IMAGE',
    builtIn: 'registry.redhat.io/3scale-amp2/memcached-rhel7:3scale2.9',
  },
  backendRedis: {
    related: 'RELATED_IMAGE_BACKEND_REDIS',
    legacy: 'BACKEND_REDIS_IMAGE',
    builtIn: 'registry.redhat.io/rhscl/redis-32-rhel7:3.2',
  },
  systemRedis: {
    related: 'RELATED_IMAGE_SYSTEM_REDIS',
    legacy: 'SYSTEM_REDIS_IMAGE',
    builtIn: 'registry.redhat.io/rhscl/redis-32-rhel7:3.2',
  },
  systemMysql: {
    related: 'RELATED_IMAGE_SYSTEM_MYSQL',
    legacy: 'SYSTEM_MYSQL_IMAGE',
    builtIn: 'registry.redhat.io/rhscl/mysql-57-rhel7:5.7',
  },
  systemPostgresql: {
    related: 'RELATED_IMAGE_SYSTEM_POSTGRESQL',
    legacy: 'SYSTEM_POSTGRESQL_IMAGE',
    builtIn: 'registry.redhat.io/rhscl/postgresql-10-rhel7',
  },
  zyncPostgresql: {
    related: 'RELATED_IMAGE_ZYNC_POSTGRESQL',
    legacy: 'ZYNC_POSTGRESQL_IMAGE',
    builtIn: 'registry.redhat.io/rhscl/postgresql-10-rhel7',
  },
};

/** An empty string counts as unset, so that an empty env var does not blank an image. */
function firstSet(...values: (string | undefined)[]): string | undefined {
  return values.find((v) => v !== undefined && v !== '');
}

export function resolveImage(component: keyof ApiManagerImages, crValue: string | undefined, env: Env): string {
  const source = IMAGE_SOURCES[component];
  return firstSet(crValue, env[source.related], env[source.legacy]) ?? source.builtIn;
}
