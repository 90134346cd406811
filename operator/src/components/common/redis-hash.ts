// The pod-template marker of the Redis migration (operator.md §4.4): lowercase hex SHA-256 over the consumer's
// Redis keys, sorted by `<secret>/<key>`, each as `<secret>/<key>=<value>\n`.
import { createHash } from 'node:crypto';
import type { BuildContext } from './context.js';
import { secretValue } from './context.js';
import {
  type AclEntry,
  type TlsLink,
  BACKEND_ACL,
  BACKEND_REDIS_TLS,
  QUEUES_REDIS_TLS,
  SYSTEM_BACKEND_ACL,
  SYSTEM_REDIS_ACL,
  SYSTEM_REDIS_TLS,
  aclHashKeys,
  tlsHashKeys,
} from './tls-links.js';

export const REDIS_CONFIG_HASH = 'apps.3scale.net/redis-config-hash';
export const REDIS_CONFIG_HASH_PATH = 'spec.template.metadata.annotations.apps\\.3scale\\.net/redis-config-hash';

const BACKEND_KEYS = [
  'REDIS_STORAGE_URL',
  'REDIS_QUEUES_URL',
  'REDIS_STORAGE_SENTINEL_HOSTS',
  'REDIS_STORAGE_SENTINEL_ROLE',
  'REDIS_QUEUES_SENTINEL_HOSTS',
  'REDIS_QUEUES_SENTINEL_ROLE',
].map((k) => `backend-redis/${k}`);
const SYSTEM_KEYS = [
  'URL',
  'SENTINEL_HOSTS',
  'SENTINEL_ROLE',
  'MESSAGE_BUS_URL',
  'MESSAGE_BUS_SENTINEL_HOSTS',
  'MESSAGE_BUS_SENTINEL_ROLE',
  'NAMESPACE',
  'MESSAGE_BUS_NAMESPACE',
].map((k) => `system-redis/${k}`);
const BACKEND_STORAGE_KEYS = ['REDIS_STORAGE_URL', 'REDIS_STORAGE_SENTINEL_HOSTS', 'REDIS_STORAGE_SENTINEL_ROLE'].map(
  (k) => `backend-redis/${k}`,
);

/** Which secret keys each Redis consumer reads (operator.md §4.4). */
export const REDIS_CONSUMER_KEYS: Partial<Record<string, string[]>> = {
  'backend-listener': BACKEND_KEYS,
  'backend-cron': BACKEND_KEYS,
  'backend-worker': BACKEND_KEYS,
  'system-app': [...SYSTEM_KEYS, ...BACKEND_STORAGE_KEYS],
  'system-sidekiq': [...SYSTEM_KEYS, ...BACKEND_STORAGE_KEYS],
  'system-sphinx': SYSTEM_KEYS,
};

/**
 * The 2.15+ keys a consumer reads besides those: ACL keys when the Secret has them, TLS material while the
 * link's flag is on. Without them (every 2.9 installation) the key list, hence the hash, is the one above.
 */
const EXTRA_KEYS: Partial<Record<string, { acl: readonly AclEntry[]; tls: readonly TlsLink[] }>> = {
  'backend-listener': { acl: BACKEND_ACL, tls: [BACKEND_REDIS_TLS, QUEUES_REDIS_TLS] },
  'backend-cron': { acl: BACKEND_ACL, tls: [BACKEND_REDIS_TLS, QUEUES_REDIS_TLS] },
  'backend-worker': { acl: BACKEND_ACL, tls: [BACKEND_REDIS_TLS, QUEUES_REDIS_TLS] },
  'system-app': { acl: [...SYSTEM_REDIS_ACL, ...SYSTEM_BACKEND_ACL], tls: [SYSTEM_REDIS_TLS, BACKEND_REDIS_TLS] },
  'system-sidekiq': { acl: [...SYSTEM_REDIS_ACL, ...SYSTEM_BACKEND_ACL], tls: [SYSTEM_REDIS_TLS, BACKEND_REDIS_TLS] },
  'system-sphinx': { acl: SYSTEM_REDIS_ACL, tls: [SYSTEM_REDIS_TLS] },
};

/** Every key a consumer's hash covers for this installation (the base keys plus the extra ones in use). */
export function consumerHashKeys(ctx: BuildContext, consumer: string): string[] | undefined {
  const keys = REDIS_CONSUMER_KEYS[consumer];
  if (keys === undefined) return undefined;
  const extra = EXTRA_KEYS[consumer];
  return extra === undefined ? keys : [...new Set([...keys, ...aclHashKeys(ctx, extra.acl), ...tlsHashKeys(ctx, extra.tls)])];
}

export function redisConfigHash(values: (secretKey: string) => string, keys: string[]): string {
  const hash = createHash('sha256');
  for (const secretKey of [...keys].sort()) hash.update(`${secretKey}=${values(secretKey)}\n`);
  return hash.digest('hex');
}

/** Pod annotation and reconciled path for a consumer; nothing in template mode. */
export function redisMarker(ctx: BuildContext, consumer: string): { annotations: Record<string, string>; paths: string[] } {
  const keys = consumerHashKeys(ctx, consumer);
  if (!ctx.model.operatorExtras || keys === undefined) return { annotations: {}, paths: [] };
  const value = redisConfigHash((secretKey) => {
    const [secret = '', key = ''] = secretKey.split('/');
    return secretValue(ctx, secret, key);
  }, keys);
  return { annotations: { [REDIS_CONFIG_HASH]: value }, paths: [REDIS_CONFIG_HASH_PATH] };
}
