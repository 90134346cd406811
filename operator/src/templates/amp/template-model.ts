// The ApiManagerModel a template is built from: every value a user may choose is a `${PARAM}` placeholder,
// replicas are 1, operator-only extras are off (operator/ARCHITECTURE.md, operator-objects §8, §10).
import type { ApiManagerModel, FileStorage, SystemDatabase } from '../../model/types.js';
import { NO_GATEWAY_OPTIONS } from '../../model/gateway-options.js';

export interface TemplateModelOptions {
  database: 'mysql' | 'postgresql';
  fileStorage: 'pvc' | 's3';
  /** Eval templates: every container gets `resources: {}` (operator-objects §3.1). */
  resourceRequirements: boolean;
  /** amp-ha: the PodDisruptionBudgets of the nine scalable DCs. */
  podDisruptionBudgets: boolean;
}

/** The name of the Secret the S3 templates create from the AWS_* parameters. */
export const S3_SECRET_NAME = 'aws-auth';

export function templateApiManagerModel(options: TemplateModelOptions): ApiManagerModel {
  const one = { replicas: 1 };
  const fileStorage: FileStorage = options.fileStorage === 's3'
    ? { kind: 's3', secretName: S3_SECRET_NAME }
    // `${{…}}`: substituted unquoted, so the default "null" becomes a YAML null (cluster default class).
    : { kind: 'pvc', storageClassName: '${{RWX_STORAGE_CLASS}}' };
  const database: SystemDatabase = { kind: options.database };
  return {
    name: '${APP_LABEL}',
    release: '${AMP_RELEASE}',
    appLabel: '${APP_LABEL}',
    tenantName: '${TENANT_NAME}',
    wildcardDomain: '${WILDCARD_DOMAIN}',
    imageStreamTagImportInsecure: '${{IMAGESTREAM_TAG_IMPORT_INSECURE}}',
    resourceRequirementsEnabled: options.resourceRequirements,
    resourceOverrides: {},
    images: {
      apicast: '${AMP_APICAST_IMAGE}',
      backend: '${AMP_BACKEND_IMAGE}',
      system: '${AMP_SYSTEM_IMAGE}',
      zync: '${AMP_ZYNC_IMAGE}',
      systemMemcached: '${MEMCACHED_IMAGE}',
      backendRedis: '${REDIS_IMAGE}',
      systemRedis: '${REDIS_IMAGE}',
      systemMysql: '${SYSTEM_DATABASE_IMAGE}',
      systemPostgresql: '${SYSTEM_DATABASE_IMAGE}',
      zyncPostgresql: '${ZYNC_DATABASE_IMAGE}',
    },
    apicast: {
      managementAPI: '${APICAST_MANAGEMENT_API}',
      openSSLVerify: '${APICAST_OPENSSL_VERIFY}',
      responseCodes: '${APICAST_RESPONSE_CODES}',
      registryURL: '${APICAST_REGISTRY_URL}',
      staging: one,
      production: one,
      gateway: { staging: NO_GATEWAY_OPTIONS, production: NO_GATEWAY_OPTIONS },
    },
    backend: { listener: one, worker: one, cron: one, redis: {} },
    system: { app: one, sidekiq: one, sphinx: {}, memcached: {}, redis: {}, fileStorage, database },
    zync: { app: one, que: one, database: {} },
    external: { backendRedis: false, systemRedis: false, systemDatabase: false, zyncDatabase: false },
    podDisruptionBudget: options.podDisruptionBudgets,
    monitoring: { enabled: false },
    operatorExtras: false,
  };
}
