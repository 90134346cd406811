// APIManager CR (already schema-valid) → defaulted ApiManagerModel, with the cross-field checks of
// operator.md §1.2 ("Only one … can be chosen at the same time").
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { APIManager, PvcSpec } from '../api/types.js';
import { APIMANAGER_DEFAULTS, THREESCALE_RELEASE } from '../api/defaults.js';
import type {
  ApiManagerModel,
  Claim,
  ExternalComponents,
  FieldError,
  FileStorage,
  Result,
  Scalable,
  Scheduling,
  SystemDatabase,
  TlsLinks,
} from './types.js';
import { type Env, resolveImage } from './images.js';
import { LUA_ENVIRONMENTS_IGNORED, toGatewayOptions } from './gateway-options.js';

/** Copies the scheduling knobs that are set (unset ones stay absent, so 2.9 CRs render as before). */
function scheduling(spec: Scheduling | undefined): Scheduling {
  const out: Scheduling = {};
  if (spec?.affinity !== undefined) out.affinity = spec.affinity;
  if (spec?.tolerations !== undefined) out.tolerations = spec.tolerations;
  if (spec?.priorityClassName !== undefined) out.priorityClassName = spec.priorityClassName;
  if (spec?.topologySpreadConstraints !== undefined) out.topologySpreadConstraints = spec.topologySpreadConstraints;
  if (spec?.labels !== undefined && Object.keys(spec.labels).length > 0) out.labels = spec.labels;
  if (spec?.annotations !== undefined && Object.keys(spec.annotations).length > 0) out.annotations = spec.annotations;
  return out;
}

/** The `redisAffinity`, `redisLabels`, ... fields of a component without a spec object of its own. */
function prefixedScheduling(spec: Record<string, unknown> | undefined, prefix: string): Scheduling {
  const pick = (key: string): unknown => spec?.[`${prefix}${key[0].toUpperCase()}${key.slice(1)}`];
  return scheduling({
    affinity: pick('affinity'),
    tolerations: pick('tolerations'),
    priorityClassName: pick('priorityClassName'),
    topologySpreadConstraints: pick('topologySpreadConstraints'),
    labels: pick('labels'),
    annotations: pick('annotations'),
  } as Scheduling);
}

function scalable(spec: (Scheduling & { replicas?: number; hpa?: boolean }) | undefined): Scalable {
  return {
    replicas: spec?.replicas ?? APIMANAGER_DEFAULTS.replicas,
    ...(spec?.hpa === true ? { autoscaled: true } : {}),
    ...scheduling(spec),
  };
}

function claim(spec: PvcSpec | undefined): Claim {
  const out: Claim = {};
  if (spec?.storageClassName !== undefined) out.storageClassName = spec.storageClassName;
  if (spec?.volumeName !== undefined) out.volumeName = spec.volumeName;
  if (spec?.resources?.requests !== undefined) out.storageRequest = spec.resources.requests;
  return out;
}

/** Which container each CR `resources` field sets (upstream's names). */
function resourceOverridesOf(cr: APIManager): Partial<Record<string, IResourceRequirements>> {
  const s = cr.spec;
  const app = s.system?.appSpec;
  const entries: [string, IResourceRequirements | undefined][] = [
    ['apicast-staging', s.apicast?.stagingSpec?.resources],
    ['apicast-production', s.apicast?.productionSpec?.resources],
    ['backend-listener', s.backend?.listenerSpec?.resources],
    ['backend-worker', s.backend?.workerSpec?.resources],
    ['backend-cron', s.backend?.cronSpec?.resources],
    ['backend-redis', s.backend?.redisResources],
    ['system-master', app?.masterContainerResources ?? app?.resources],
    ['system-provider', app?.providerContainerResources ?? app?.resources],
    ['system-developer', app?.developerContainerResources ?? app?.resources],
    ['system-sidekiq', s.system?.sidekiqSpec?.resources],
    ['system-sphinx', s.system?.sphinxSpec?.resources],
    ['system-redis', s.system?.redisResources],
    ['memcache', s.system?.memcachedResources],
    ['system-mysql', s.system?.database?.mysql?.resources],
    ['system-postgresql', s.system?.database?.postgresql?.resources],
    ['zync', s.zync?.appSpec?.resources],
    ['que', s.zync?.queSpec?.resources],
    ['postgresql', s.zync?.databaseResources],
  ];
  return Object.fromEntries(entries.filter((e): e is [string, IResourceRequirements] => e[1] !== undefined));
}

const RESERVED_PULL_SECRET = /dockercfg-|token-/;

function imagePullSecretsOf(cr: APIManager, errors: FieldError[]): string[] | undefined {
  const refs = cr.spec.imagePullSecrets;
  if (refs === undefined) return undefined;
  const names: string[] = [];
  refs.forEach((ref, i) => {
    const name = ref.name ?? '';
    if (name === '') errors.push({ path: `spec.imagePullSecrets[${i}].name`, reason: 'must name a Secret' });
    else if (RESERVED_PULL_SECRET.test(name)) {
      errors.push({
        path: `spec.imagePullSecrets[${i}].name`,
        reason: `"${name}" contains dockercfg- or token-: those pull secrets are managed by OpenShift`,
      });
    } else names.push(name);
  });
  return names;
}

function fileStorageOf(cr: APIManager, errors: FieldError[]): FileStorage {
  const fs = cr.spec.system?.fileStorage;
  if (fs?.persistentVolumeClaim !== undefined && fs.simpleStorageService !== undefined) {
    errors.push({ path: 'spec.system.fileStorage', reason: 'Only one FileStorage can be chosen at the same time' });
  }
  const s3 = fs?.simpleStorageService;
  if (s3 !== undefined) {
    // A CR read by `render` has not been through the API server's schema validation: name may be missing.
    const ref: { name?: string } = s3.configurationSecretRef;
    const name = ref.name;
    if (name === undefined || name === '') {
      errors.push({
        path: 'spec.system.fileStorage.simpleStorageService.configurationSecretRef.name',
        reason: 'must name the S3 configuration Secret',
      });
      return { kind: 'pvc' };
    }
    return { kind: 's3', secretName: name };
  }
  // Deprecated amazonSimpleStorageService is ignored by 2.9 (falls back to the PVC); kept as a known quirk.
  return { kind: 'pvc', ...claim(fs?.persistentVolumeClaim) };
}

/**
 * externalComponents names each database on its own; the older highAvailability.enabled means the first three,
 * and its externalZyncDatabaseEnabled the fourth. A component is external when either says so.
 */
export function externalOf(cr: APIManager): ExternalComponents {
  const ha = cr.spec.highAvailability?.enabled === true;
  const ext = cr.spec.externalComponents;
  return {
    backendRedis: ha || ext?.backend?.redis === true,
    systemRedis: ha || ext?.system?.redis === true,
    systemDatabase: ha || ext?.system?.database === true,
    zyncDatabase: (ha && cr.spec.highAvailability?.externalZyncDatabaseEnabled === true) || ext?.zync?.database === true,
  };
}

function databaseOf(cr: APIManager, external: boolean, errors: FieldError[]): SystemDatabase {
  // An external database makes spec.system.database meaningless (operator.md §3.1).
  if (external) return { kind: 'external' };
  const db = cr.spec.system?.database;
  if (db?.mysql !== undefined && db.postgresql !== undefined) {
    errors.push({ path: 'spec.system.database', reason: 'Only one System Database can be chosen at the same time' });
  }
  const pg = db?.postgresql;
  if (pg !== undefined) {
    return { kind: 'postgresql', ...scheduling(pg), ...claim(pg.persistentVolumeClaim) };
  }
  const my = db?.mysql;
  return { kind: 'mysql', ...scheduling(my), ...claim(my?.persistentVolumeClaim) };
}

function tlsOf(cr: APIManager): { tls?: TlsLinks } {
  const s = cr.spec;
  const tls: TlsLinks = {
    backendRedis: s.backend?.redisTLSEnabled === true,
    queues: s.backend?.queuesTLSEnabled === true,
    systemRedis: s.system?.redisTLSEnabled === true,
    systemDatabase: s.system?.databaseTLSEnabled === true,
  };
  return Object.values(tls).some((v) => v) ? { tls } : {};
}

export function toApiManagerModel(cr: APIManager, env: Env): Result<ApiManagerModel> {
  const errors: FieldError[] = [];
  const s = cr.spec;
  const external = externalOf(cr);
  const d = APIMANAGER_DEFAULTS;
  const pullSecrets = imagePullSecretsOf(cr, errors);
  const model: ApiManagerModel = {
    name: cr.metadata.name,
    ...(cr.metadata.namespace !== undefined ? { namespace: cr.metadata.namespace } : {}),
    release: THREESCALE_RELEASE,
    appLabel: s.appLabel ?? d.appLabel,
    tenantName: s.tenantName ?? d.tenantName,
    wildcardDomain: s.wildcardDomain,
    imageStreamTagImportInsecure: s.imageStreamTagImportInsecure ?? d.imageStreamTagImportInsecure,
    resourceRequirementsEnabled: s.resourceRequirementsEnabled ?? d.resourceRequirementsEnabled,
    resourceOverrides: resourceOverridesOf(cr),
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
      gateway: {
        staging: toGatewayOptions(s.apicast?.stagingSpec, 'spec.apicast.stagingSpec', errors),
        production: toGatewayOptions(s.apicast?.productionSpec, 'spec.apicast.productionSpec', errors),
      },
    },
    backend: {
      listener: scalable(s.backend?.listenerSpec),
      worker: scalable(s.backend?.workerSpec),
      cron: scalable(s.backend?.cronSpec),
      redis: { ...prefixedScheduling(s.backend, 'redis'), ...claim(s.backend?.redisPersistentVolumeClaim) },
    },
    system: {
      app: scalable(s.system?.appSpec),
      sidekiq: scalable(s.system?.sidekiqSpec),
      sphinx: scheduling(s.system?.sphinxSpec),
      memcached: prefixedScheduling(s.system, 'memcached'),
      redis: { ...prefixedScheduling(s.system, 'redis'), ...claim(s.system?.redisPersistentVolumeClaim) },
      fileStorage: fileStorageOf(cr, errors),
      database: databaseOf(cr, external.systemDatabase, errors),
    },
    zync: {
      enabled: s.zync?.enabled !== false,
      app: scalable(s.zync?.appSpec),
      que: scalable(s.zync?.queSpec),
      database: prefixedScheduling(s.zync, 'database'),
    },
    ...(pullSecrets !== undefined ? { imagePullSecrets: pullSecrets } : {}),
    external,
    ...tlsOf(cr),
    podDisruptionBudget: s.podDisruptionBudget?.enabled ?? false,
    monitoring: { enabled: s.monitoring?.enabled ?? false },
    operatorExtras: true,
  };
  if (errors.length > 0) return { ok: false, errors };
  const warnings: FieldError[] = [];
  if (s.highAvailability?.enabled === true) {
    warnings.push({ path: 'spec.highAvailability', reason: 'deprecated since 2.16; use externalComponents (same effect)' });
  }
  for (const env of ['stagingSpec', 'productionSpec'] as const) {
    if ((s.apicast?.[env]?.customEnvironments ?? []).length > 0) {
      warnings.push({ path: `spec.apicast.${env}.customEnvironments`, reason: LUA_ENVIRONMENTS_IGNORED });
    }
  }
  if (s.system?.fileStorage?.amazonSimpleStorageService !== undefined) {
    warnings.push({
      path: 'spec.system.fileStorage.amazonSimpleStorageService',
      reason: 'deprecated since 2.8 and ignored (the PVC file storage is used); use simpleStorageService',
    });
  }
  return warnings.length > 0 ? { ok: true, value: model, warnings } : { ok: true, value: model };
}
