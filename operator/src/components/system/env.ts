// System env lists (operator-objects §4.7): SYS_BASE (51 entries), SYS_REDIS (8), the S3 block.
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { ApiManagerModel } from '../../model/types.js';
import { fromConfigMap, fromOptionalSecret, fromSecret, literal } from '../common/env.js';

const cm = (name: string) => fromConfigMap(name, 'system-environment', name);

export const SYSTEM_REDIS_ENV: IEnvVar[] = [
  fromSecret('REDIS_URL', 'system-redis', 'URL'),
  fromSecret('MESSAGE_BUS_REDIS_URL', 'system-redis', 'MESSAGE_BUS_URL'),
  fromSecret('REDIS_NAMESPACE', 'system-redis', 'NAMESPACE'),
  fromSecret('MESSAGE_BUS_REDIS_NAMESPACE', 'system-redis', 'MESSAGE_BUS_NAMESPACE'),
  fromSecret('REDIS_SENTINEL_HOSTS', 'system-redis', 'SENTINEL_HOSTS'),
  fromSecret('REDIS_SENTINEL_ROLE', 'system-redis', 'SENTINEL_ROLE'),
  fromSecret('MESSAGE_BUS_REDIS_SENTINEL_HOSTS', 'system-redis', 'MESSAGE_BUS_SENTINEL_HOSTS'),
  fromSecret('MESSAGE_BUS_REDIS_SENTINEL_ROLE', 'system-redis', 'MESSAGE_BUS_SENTINEL_ROLE'),
];

export const SYSTEM_BASE_ENV: IEnvVar[] = [
  cm('AMP_RELEASE'),
  cm('APICAST_REGISTRY_URL'),
  cm('FORCE_SSL'),
  cm('PROVIDER_PLAN'),
  cm('RAILS_ENV'),
  cm('RAILS_LOG_LEVEL'),
  cm('RAILS_LOG_TO_STDOUT'),
  cm('SSL_CERT_DIR'),
  cm('THINKING_SPHINX_PORT'),
  cm('THREESCALE_SANDBOX_PROXY_OPENSSL_VERIFY_MODE'),
  cm('THREESCALE_SUPERDOMAIN'),
  fromSecret('DATABASE_URL', 'system-database', 'URL'),
  fromSecret('MASTER_DOMAIN', 'system-seed', 'MASTER_DOMAIN'),
  fromSecret('MASTER_USER', 'system-seed', 'MASTER_USER'),
  fromSecret('MASTER_PASSWORD', 'system-seed', 'MASTER_PASSWORD'),
  fromSecret('ADMIN_ACCESS_TOKEN', 'system-seed', 'ADMIN_ACCESS_TOKEN'),
  fromSecret('USER_LOGIN', 'system-seed', 'ADMIN_USER'),
  fromSecret('USER_PASSWORD', 'system-seed', 'ADMIN_PASSWORD'),
  fromSecret('USER_EMAIL', 'system-seed', 'ADMIN_EMAIL'),
  fromSecret('TENANT_NAME', 'system-seed', 'TENANT_NAME'),
  literal('THINKING_SPHINX_ADDRESS', 'system-sphinx'),
  literal('THINKING_SPHINX_CONFIGURATION_FILE', '/tmp/sphinx.conf'),
  fromSecret('EVENTS_SHARED_SECRET', 'system-events-hook', 'PASSWORD'),
  fromSecret('RECAPTCHA_PUBLIC_KEY', 'system-recaptcha', 'PUBLIC_KEY'),
  fromSecret('RECAPTCHA_PRIVATE_KEY', 'system-recaptcha', 'PRIVATE_KEY'),
  fromSecret('SECRET_KEY_BASE', 'system-app', 'SECRET_KEY_BASE'),
  fromSecret('MEMCACHE_SERVERS', 'system-memcache', 'SERVERS'),
  ...SYSTEM_REDIS_ENV,
  fromSecret('BACKEND_REDIS_URL', 'backend-redis', 'REDIS_STORAGE_URL'),
  fromSecret('BACKEND_REDIS_SENTINEL_HOSTS', 'backend-redis', 'REDIS_STORAGE_SENTINEL_HOSTS'),
  fromSecret('BACKEND_REDIS_SENTINEL_ROLE', 'backend-redis', 'REDIS_STORAGE_SENTINEL_ROLE'),
  fromSecret('APICAST_BACKEND_ROOT_ENDPOINT', 'backend-listener', 'route_endpoint'),
  fromSecret('BACKEND_ROUTE', 'backend-listener', 'route_endpoint'),
  fromSecret('SMTP_ADDRESS', 'system-smtp', 'address'),
  fromSecret('SMTP_USER_NAME', 'system-smtp', 'username'),
  fromSecret('SMTP_PASSWORD', 'system-smtp', 'password'),
  fromSecret('SMTP_DOMAIN', 'system-smtp', 'domain'),
  fromSecret('SMTP_PORT', 'system-smtp', 'port'),
  fromSecret('SMTP_AUTHENTICATION', 'system-smtp', 'authentication'),
  fromSecret('SMTP_OPENSSL_VERIFY_MODE', 'system-smtp', 'openssl.verify.mode'),
  fromSecret('APICAST_ACCESS_TOKEN', 'system-master-apicast', 'ACCESS_TOKEN'),
  fromSecret('ZYNC_AUTHENTICATION_TOKEN', 'zync', 'ZYNC_AUTHENTICATION_TOKEN'),
  fromSecret('CONFIG_INTERNAL_API_USER', 'backend-internal-api', 'username'),
  fromSecret('CONFIG_INTERNAL_API_PASSWORD', 'backend-internal-api', 'password'),
];

/** S3 block appended in S3 mode; `secretName` is the CR's configurationSecretRef (templates: `aws-auth`). */
export function s3Env(secretName: string): IEnvVar[] {
  return [
    cm('FILE_UPLOAD_STORAGE'),
    ...['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_BUCKET', 'AWS_REGION'].map((k) => fromSecret(k, secretName, k)),
    ...['AWS_PROTOCOL', 'AWS_HOSTNAME', 'AWS_PATH_STYLE'].map((k) => fromOptionalSecret(k, secretName, k)),
  ];
}

export function systemContainerEnv(model: ApiManagerModel): IEnvVar[] {
  const fs = model.system.fileStorage;
  return fs.kind === 's3' ? [...SYSTEM_BASE_ENV, ...s3Env(fs.secretName)] : SYSTEM_BASE_ENV;
}

export const ORACLE_SYSTEM_PASSWORD = fromOptionalSecret('ORACLE_SYSTEM_PASSWORD', 'system-database', 'ORACLE_SYSTEM_PASSWORD');

/** Pre-hook env: SYS_BASE + MASTER_ACCESS_TOKEN (+ S3) + ORACLE_SYSTEM_PASSWORD (ours, as 2.10). */
export function preHookEnv(model: ApiManagerModel): IEnvVar[] {
  const fs = model.system.fileStorage;
  return [
    ...SYSTEM_BASE_ENV,
    fromSecret('MASTER_ACCESS_TOKEN', 'system-seed', 'MASTER_ACCESS_TOKEN'),
    ...(fs.kind === 's3' ? s3Env(fs.secretName) : []),
    ORACLE_SYSTEM_PASSWORD,
  ];
}
