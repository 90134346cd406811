// The pod-template marker of the Redis migration (operator.md §4.4): lowercase hex SHA-256 over the consumer's
// Redis keys, sorted by `<secret>/<key>`, each as `<secret>/<key>=<value>\n`.
import { createHash } from 'node:crypto';
import type { BuildContext } from './context.js';
import { secretValue } from './context.js';

export const REDIS_CONFIG_HASH = 'apps.3scale.net/redis-config-hash';
export const REDIS_CONFIG_HASH_PATH = 'spec.template.metadata.annotations.apps\\.3scale\\.net/redis-config-hash';

const BACKEND_KEYS = ['REDIS_STORAGE_URL', 'REDIS_QUEUES_URL', 'REDIS_STORAGE_SENTINEL_HOSTS', 'REDIS_STORAGE_SENTINEL_ROLE', 'REDIS_QUEUES_SENTINEL_HOSTS', 'REDIS_QUEUES_SENTINEL_ROLE'].map((k) => `backend-redis/${k}`);
const SYSTEM_KEYS = ['URL', 'SENTINEL_HOSTS', 'SENTINEL_ROLE', 'MESSAGE_BUS_URL', 'MESSAGE_BUS_SENTINEL_HOSTS', 'MESSAGE_BUS_SENTINEL_ROLE', 'NAMESPACE', 'MESSAGE_BUS_NAMESPACE'].map((k) => `system-redis/${k}`);
const BACKEND_STORAGE_KEYS = ['REDIS_STORAGE_URL', 'REDIS_STORAGE_SENTINEL_HOSTS', 'REDIS_STORAGE_SENTINEL_ROLE'].map((k) => `backend-redis/${k}`);

/** Which secret keys each Redis consumer reads (operator.md §4.4). */
export const REDIS_CONSUMER_KEYS: Record<string, string[]> = {
  'backend-listener': BACKEND_KEYS,
  'backend-cron': BACKEND_KEYS,
  'backend-worker': BACKEND_KEYS,
  'system-app': [...SYSTEM_KEYS, ...BACKEND_STORAGE_KEYS],
  'system-sidekiq': [...SYSTEM_KEYS, ...BACKEND_STORAGE_KEYS],
  'system-sphinx': SYSTEM_KEYS,
};

export function redisConfigHash(values: (secretKey: string) => string, keys: string[]): string {
  const hash = createHash('sha256');
  for (const secretKey of [...keys].sort()) hash.update(`${secretKey}=${values(secretKey)}\n`);
  return hash.digest('hex');
}

/** Pod annotation and reconciled path for a consumer; nothing in template mode. */
export function redisMarker(ctx: BuildContext, consumer: string): { annotations: Record<string, string>; paths: string[] } {
  const keys = REDIS_CONSUMER_KEYS[consumer];
  if (!ctx.model.operatorExtras || keys === undefined) return { annotations: {}, paths: [] };
  const value = redisConfigHash((secretKey) => {
    const [secret = '', key = ''] = secretKey.split('/');
    return secretValue(ctx, secret, key);
  }, keys);
  return { annotations: { [REDIS_CONFIG_HASH]: value }, paths: [REDIS_CONFIG_HASH_PATH] };
}
