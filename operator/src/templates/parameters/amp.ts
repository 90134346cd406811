// The parameters of the amp*.yml templates (operator-objects §7.2, 2.9, in file order) and the changes each
// variant makes to them (§7.3). Names, defaults, generators and required flags are the original's; the
// descriptions are the original's where it had one.
import type { TemplateParameter } from '../../openshift/index.js';
import { GATEWAY_IMAGE, IMAGE_SOURCES } from '../../model/images.js';

const param = (name: string, fields: Omit<TemplateParameter, 'name'>): TemplateParameter => ({ name, ...fields });
const generated = (name: string, from: string, fields: Omit<TemplateParameter, 'name' | 'generate' | 'from'> = {}): TemplateParameter =>
  ({ name, ...fields, generate: 'expression', from });

/** The release the templates deploy: the ImageStream tag name and `AMP_RELEASE`. */
export const AMP_RELEASE_DEFAULT = '2.9';

/** The four parameters of the base template every amp*.yml starts from (§8). */
export const BASE_PARAMETERS: readonly TemplateParameter[] = [
  param('AMP_RELEASE', { description: 'AMP release tag.', required: true, value: AMP_RELEASE_DEFAULT }),
  param('APP_LABEL', { description: 'Used for object app labels', required: true, value: '3scale-api-management' }),
  param('TENANT_NAME', { description: 'Tenant name under the root that Admin UI will be available with -admin suffix.', required: true, value: '3scale' }),
  // The literal string "null": substituted unquoted through ${{RWX_STORAGE_CLASS}} it is a YAML null.
  param('RWX_STORAGE_CLASS', { description: 'The Storage Class to be used by ReadWriteMany PVCs', value: 'null' }),
];

export const IMAGE_PARAMETERS: readonly TemplateParameter[] = [
  param('AMP_BACKEND_IMAGE', { required: true, value: IMAGE_SOURCES.backend.builtIn }),
  param('AMP_ZYNC_IMAGE', { required: true, value: IMAGE_SOURCES.zync.builtIn }),
  // Ours: this project's gateway image (README decisions, "images").
  param('AMP_APICAST_IMAGE', { required: true, value: GATEWAY_IMAGE }),
  param('AMP_SYSTEM_IMAGE', { required: true, value: IMAGE_SOURCES.system.builtIn }),
  param('ZYNC_DATABASE_IMAGE', { description: "Zync's PostgreSQL image to use", required: true, value: IMAGE_SOURCES.zyncPostgresql.builtIn }),
  param('MEMCACHED_IMAGE', { description: 'Memcached image to use', required: true, value: IMAGE_SOURCES.systemMemcached.builtIn }),
  param('IMAGESTREAM_TAG_IMPORT_INSECURE', {
    description: 'Set to true if the server may bypass certificate verification or connect directly over HTTP during image import.',
    required: true,
    value: 'false',
  }),
];

export const MYSQL_IMAGE_PARAMETERS: readonly TemplateParameter[] = [
  param('SYSTEM_DATABASE_IMAGE', { description: 'System MySQL image to use', required: true, value: IMAGE_SOURCES.systemMysql.builtIn }),
];

export const POSTGRESQL_IMAGE_PARAMETERS: readonly TemplateParameter[] = [
  param('SYSTEM_DATABASE_IMAGE', { description: 'System PostgreSQL image to use', required: true, value: IMAGE_SOURCES.systemPostgresql.builtIn }),
];

export const REDIS_PARAMETERS: readonly TemplateParameter[] = [
  param('REDIS_IMAGE', { description: 'Redis image to use', required: true, value: IMAGE_SOURCES.backendRedis.builtIn }),
];

export const MYSQL_PARAMETERS: readonly TemplateParameter[] = [
  param('SYSTEM_DATABASE_USER', { description: "Username for System's MySQL user that will be used for accessing the database.", displayName: 'System MySQL User', required: true, value: 'mysql' }),
  generated('SYSTEM_DATABASE_PASSWORD', '[a-z0-9]{8}', { description: "Password for the System's MySQL user.", displayName: 'System MySQL Password', required: true }),
  param('SYSTEM_DATABASE', { description: "Name of the System's MySQL database accessed.", displayName: 'System MySQL Database Name', required: true, value: 'system' }),
  generated('SYSTEM_DATABASE_ROOT_PASSWORD', '[a-z0-9]{8}', { description: 'Password for Root user.', displayName: 'System MySQL Root password.', required: true }),
];

/** amp-postgresql: same names, PostgreSQL wording and defaults, no root password (§7.3). */
export const POSTGRESQL_PARAMETERS: readonly TemplateParameter[] = [
  param('SYSTEM_DATABASE_USER', { description: "Username for System's PostgreSQL user that will be used for accessing the database.", displayName: 'System PostgreSQL User', required: true, value: 'system' }),
  generated('SYSTEM_DATABASE_PASSWORD', '[a-z0-9]{8}', { description: "Password for the System's PostgreSQL user.", displayName: 'System PostgreSQL Password', required: true }),
  param('SYSTEM_DATABASE', { description: "Name of the System's PostgreSQL database accessed.", displayName: 'System PostgreSQL Database Name', required: true, value: 'system' }),
];

export const SYSTEM_AND_REST_PARAMETERS: readonly TemplateParameter[] = [
  param('WILDCARD_DOMAIN', { description: 'Root domain for the wildcard routes. Eg. example.com will generate 3scale-admin.example.com.', required: true }),
  param('SYSTEM_BACKEND_USERNAME', { description: 'Internal 3scale API username for internal 3scale api auth.', required: true, value: '3scale_api_user' }),
  generated('SYSTEM_BACKEND_PASSWORD', '[a-z0-9]{8}', { description: 'Internal 3scale API password for internal 3scale api auth.', required: true }),
  generated('SYSTEM_BACKEND_SHARED_SECRET', '[a-z0-9]{8}', { description: 'Shared secret to import events from backend to system.', required: true }),
  generated('SYSTEM_APP_SECRET_KEY_BASE', '[a-f0-9]{128}', { description: 'System application secret key base', required: true }),
  generated('ADMIN_PASSWORD', '[a-z0-9]{8}', { required: true }),
  param('ADMIN_USERNAME', { required: true, value: 'admin' }),
  param('ADMIN_EMAIL', {}),
  generated('ADMIN_ACCESS_TOKEN', '[a-z0-9]{16}', { description: 'Admin Access Token with all scopes and write permissions for API access.' }),
  param('MASTER_NAME', { description: 'The root name which Master Admin UI will be available at.', required: true, value: 'master' }),
  param('MASTER_USER', { required: true, value: 'master' }),
  generated('MASTER_PASSWORD', '[a-z0-9]{8}', { required: true }),
  generated('MASTER_ACCESS_TOKEN', '[a-z0-9]{8}', { required: true }),
  param('RECAPTCHA_PUBLIC_KEY', { description: 'reCAPTCHA site key (used in spam protection)' }),
  param('RECAPTCHA_PRIVATE_KEY', { description: 'reCAPTCHA secret key (used in spam protection)' }),
  param('SYSTEM_REDIS_URL', { description: 'Define the external system-redis to connect to', required: true, value: 'redis://system-redis:6379/1' }),
  param('SYSTEM_MESSAGE_BUS_REDIS_URL', {
    description: 'Define the external system-redis message bus to connect to. By default the same value as SYSTEM_REDIS_URL but with the logical database incremented by 1 and the result applied mod 16',
  }),
  param('SYSTEM_REDIS_NAMESPACE', { description: "Define the namespace to be used by System's Redis Database. The empty value means not namespaced" }),
  param('SYSTEM_MESSAGE_BUS_REDIS_NAMESPACE', { description: "Define the namespace to be used by System's Message Bus Redis Database. The empty value means not namespaced" }),
  generated('ZYNC_DATABASE_PASSWORD', '[a-zA-Z0-9]{16}', { description: 'Password for the Zync Database PostgreSQL connection user.', displayName: 'Zync Database PostgreSQL Connection Password', required: true }),
  generated('ZYNC_SECRET_KEY_BASE', '[a-zA-Z0-9]{16}', { required: true }),
  generated('ZYNC_AUTHENTICATION_TOKEN', '[a-zA-Z0-9]{16}', { required: true }),
  generated('APICAST_ACCESS_TOKEN', '[a-z0-9]{8}', { description: 'Read Only Access Token that is APIcast going to use to download its configuration.', required: true }),
  param('APICAST_MANAGEMENT_API', { description: 'Scope of the APIcast Management API. Can be disabled, status or debug. At least status required for health checks.', value: 'status' }),
  param('APICAST_OPENSSL_VERIFY', { description: 'Turn on/off the OpenSSL peer verification when downloading the configuration. Can be set to true/false.', value: 'false' }),
  param('APICAST_RESPONSE_CODES', { description: 'Enable logging response codes in APIcast.', value: 'true' }),
  param('APICAST_REGISTRY_URL', { description: 'The URL to point to APIcast policies registry management', required: true, value: 'http://apicast-staging:8090/policies' }),
];

/** amp-s3 / amp-eval-s3: the AWS parameters feeding the `aws-auth` Secret (§7.3, 2.8+). */
export const S3_PARAMETERS: readonly TemplateParameter[] = [
  param('AWS_ACCESS_KEY_ID', { description: 'AWS Access Key ID to use in S3 Storage for assets.' }),
  param('AWS_SECRET_ACCESS_KEY', { description: 'AWS Access Key Secret to use in S3 Storage for assets.' }),
  param('AWS_BUCKET', { description: 'AWS S3 bucket name to use in S3 Storage for assets.' }),
  param('AWS_REGION', { description: 'AWS S3 region to use in S3 Storage for assets.' }),
  param('AWS_PROTOCOL', { description: 'AWS S3 compatible provider endpoint protocol. HTTP or HTTPS.' }),
  param('AWS_HOSTNAME', { description: 'AWS S3 compatible provider endpoint hostname' }),
  param('AWS_PATH_STYLE', { description: 'When set to true, the bucket name is always left in the request URI and never moved to the host as a sub-domain' }),
];

/** amp-ha: external databases (§7.3), appended in this order. */
export const HA_PARAMETERS: readonly TemplateParameter[] = [
  param('BACKEND_REDIS_STORAGE_ENDPOINT', { description: 'Define the external backend-redis storage endpoint to connect to', required: true }),
  param('BACKEND_REDIS_QUEUES_ENDPOINT', { description: 'Define the external backend-redis queues endpoint to connect to', required: true }),
  param('SYSTEM_DATABASE_URL', { description: 'Define the external system-mysql to connect to', required: true }),
  param('SYSTEM_MESSAGE_BUS_REDIS_SENTINEL_HOSTS', { description: 'Define the external system-redis message bus sentinel hosts' }),
  param('SYSTEM_MESSAGE_BUS_REDIS_SENTINEL_ROLE', { description: 'Define the external system-redis message bus sentinel role' }),
  param('SYSTEM_REDIS_SENTINEL_HOSTS', { description: 'Define the external system-redis sentinel hosts' }),
  param('SYSTEM_REDIS_SENTINEL_ROLE', { description: 'Define the external system-redis sentinel role' }),
  param('BACKEND_REDIS_QUEUE_SENTINEL_HOSTS', { description: 'Define the external backend-redis queue sentinel hosts' }),
  param('BACKEND_REDIS_QUEUE_SENTINEL_ROLE', { description: 'Define the external backend-redis queue sentinel role' }),
  param('BACKEND_REDIS_STORAGE_SENTINEL_HOSTS', { description: 'Define the external backend-redis storage sentinel hosts' }),
  param('BACKEND_REDIS_STORAGE_SENTINEL_ROLE', { description: 'Define the external backend-redis storage sentinel role' }),
];

/** Parameters amp-ha drops: the internal databases' (§7.3). */
export const HA_REMOVED_PARAMETERS: readonly string[] = [
  'REDIS_IMAGE', 'SYSTEM_DATABASE_IMAGE', 'SYSTEM_DATABASE_USER', 'SYSTEM_DATABASE_PASSWORD', 'SYSTEM_DATABASE', 'SYSTEM_DATABASE_ROOT_PASSWORD',
];

/** amp-ha: these keep their place but lose their default (the URL must point at the external Redis). */
export const HA_UNDEFAULTED_PARAMETERS: readonly string[] = ['SYSTEM_REDIS_URL', 'SYSTEM_MESSAGE_BUS_REDIS_URL'];
