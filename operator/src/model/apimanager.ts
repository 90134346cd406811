// APIManager CR (already schema-valid) → defaulted ApiManagerModel, with the cross-field checks of
// operator.md §1.2 ("Only one … can be chosen at the same time").
import type { APIManager, ReplicatedSpec } from '../api/types.js';
import { APIMANAGER_DEFAULTS, THREESCALE_RELEASE } from '../api/defaults.js';
import type { ApiManagerModel, FieldError, FileStorage, Result, Scalable, Scheduling, SystemDatabase } from './types.js';
import { type Env, resolveImage } from './images.js';

function scheduling(affinity: Scheduling['affinity'], tolerations: Scheduling['tolerations']): Scheduling {
  return { ...(affinity !== undefined ? { affinity } : {}), ...(tolerations !== undefined ? { tolerations } : {}) };
}

function scalable(spec: ReplicatedSpec | undefined): Scalable {
  return { replicas: spec?.replicas ?? APIMANAGER_DEFAULTS.replicas, ...scheduling(spec?.affinity, spec?.tolerations) };
}

function fileStorageOf(cr: APIManager, errors: FieldError[]): FileStorage {
  const fs = cr.spec.system?.fileStorage;
  if (fs?.persistentVolumeClaim !== undefined && fs.simpleStorageService !== undefined) {
    errors.push({ path: 'spec.system.fileStorage', reason: 'Only one FileStorage can be chosen at the same time' });
  }
  const s3 = fs?.simpleStorageService;
  if (s3 !== undefined) {
    const name = s3.configurationSecretRef.name;
    if (name === undefined || name === '') {
      errors.push({ path: 'spec.system.fileStorage.simpleStorageService.configurationSecretRef.name', reason: 'must name the S3 configuration Secret' });
      return { kind: 'pvc' };
    }
    return { kind: 's3', secretName: name };
  }
  // Deprecated amazonSimpleStorageService is ignored by 2.9 (falls back to the PVC); kept as a known quirk.
  const storageClassName = fs?.persistentVolumeClaim?.storageClassName;
  return storageClassName !== undefined ? { kind: 'pvc', storageClassName } : { kind: 'pvc' };
}

function databaseOf(cr: APIManager, ha: boolean, errors: FieldError[]): SystemDatabase {
  // HA forces spec.system.database to nil (operator.md §3.1): the database is external.
  if (ha) return { kind: 'external' };
  const db = cr.spec.system?.database;
  if (db?.mysql !== undefined && db.postgresql !== undefined) {
    errors.push({ path: 'spec.system.database', reason: 'Only one System Database can be chosen at the same time' });
  }
  const pg = db?.postgresql;
  if (pg !== undefined) {
    return { kind: 'postgresql', ...scheduling(pg.affinity, pg.tolerations), ...(pg.persistentVolumeClaim?.storageClassName !== undefined ? { storageClassName: pg.persistentVolumeClaim.storageClassName } : {}) };
  }
  const my = db?.mysql;
  return { kind: 'mysql', ...scheduling(my?.affinity, my?.tolerations), ...(my?.persistentVolumeClaim?.storageClassName !== undefined ? { storageClassName: my.persistentVolumeClaim.storageClassName } : {}) };
}

const storage = (storageClassName: string | undefined) => (storageClassName !== undefined ? { storageClassName } : {});

export function toApiManagerModel(cr: APIManager, env: Env): Result<ApiManagerModel> {
  const errors: FieldError[] = [];
  const s = cr.spec;
  const ha = s.highAvailability?.enabled ?? false;
  const d = APIMANAGER_DEFAULTS;
  const model: ApiManagerModel = {
    name: cr.metadata.name,
    ...(cr.metadata.namespace !== undefined ? { namespace: cr.metadata.namespace } : {}),
    release: THREESCALE_RELEASE,
    appLabel: s.appLabel ?? d.appLabel,
    tenantName: s.tenantName ?? d.tenantName,
    wildcardDomain: s.wildcardDomain,
    imageStreamTagImportInsecure: s.imageStreamTagImportInsecure ?? d.imageStreamTagImportInsecure,
    resourceRequirementsEnabled: s.resourceRequirementsEnabled ?? d.resourceRequirementsEnabled,
    images: {
      apicast: resolveImage('apicast', s.apicast?.image, env),
      backend: resolveImage('backend', s.backend?.image, env),
      system: resolveImage('system', s.system?.image, env),
      zync: resolveImage('zync', s.zync?.image, env),
      systemMemcached: resolveImage('systemMemcached', s.system?.memcachedImage, env),
      backendRedis: resolveImage('backendRedis', s.backend?.redisImage, env),
      systemRedis: resolveImage('systemRedis', s.system?.redisImage, env),
      systemMysql: resolveImage('systemMysql', s.system?.database?.mysql?.image, env),
      systemPostgresql: resolveImage('systemPostgresql', s.system?.database?.postgresql?.image, env),
      zyncPostgresql: resolveImage('zyncPostgresql', s.zync?.postgreSQLImage, env),
    },
    apicast: {
      managementAPI: s.apicast?.managementAPI ?? d.managementAPI,
      openSSLVerify: String(s.apicast?.openSSLVerify ?? d.openSSLVerify),
      responseCodes: String(s.apicast?.responseCodes ?? d.responseCodes),
      registryURL: s.apicast?.registryURL ?? d.registryURL,
      staging: scalable(s.apicast?.stagingSpec),
      production: scalable(s.apicast?.productionSpec),
    },
    backend: {
      listener: scalable(s.backend?.listenerSpec),
      worker: scalable(s.backend?.workerSpec),
      cron: scalable(s.backend?.cronSpec),
      redis: { ...scheduling(s.backend?.redisAffinity, s.backend?.redisTolerations), ...storage(s.backend?.redisPersistentVolumeClaim?.storageClassName) },
    },
    system: {
      app: scalable(s.system?.appSpec),
      sidekiq: scalable(s.system?.sidekiqSpec),
      sphinx: scheduling(s.system?.sphinxSpec?.affinity, s.system?.sphinxSpec?.tolerations),
      memcached: scheduling(s.system?.memcachedAffinity, s.system?.memcachedTolerations),
      redis: { ...scheduling(s.system?.redisAffinity, s.system?.redisTolerations), ...storage(s.system?.redisPersistentVolumeClaim?.storageClassName) },
      fileStorage: fileStorageOf(cr, errors),
      database: databaseOf(cr, ha, errors),
    },
    zync: {
      app: scalable(s.zync?.appSpec),
      que: scalable(s.zync?.queSpec),
      database: scheduling(s.zync?.databaseAffinity, s.zync?.databaseTolerations),
    },
    highAvailability: ha,
    podDisruptionBudget: s.podDisruptionBudget?.enabled ?? false,
    monitoring: { enabled: s.monitoring?.enabled ?? false },
    operatorExtras: true,
  };
  if (errors.length > 0) return { ok: false, errors };
  const warnings: FieldError[] = [];
  if (s.system?.fileStorage?.amazonSimpleStorageService !== undefined) {
    warnings.push({ path: 'spec.system.fileStorage.amazonSimpleStorageService', reason: 'deprecated since 2.8 and ignored (the PVC file storage is used); use simpleStorageService' });
  }
  return warnings.length > 0 ? { ok: true, value: model, warnings } : { ok: true, value: model };
}
