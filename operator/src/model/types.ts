// The validated, defaulted model that every builder reads. Strings are used verbatim by builders and may be
// OpenShift template placeholders (`${TENANT_NAME}`), see operator/ARCHITECTURE.md.
import type { IAffinity } from 'kubernetes-models/v1/Affinity';
import type { IToleration } from 'kubernetes-models/v1/Toleration';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';

export interface Scheduling { affinity?: IAffinity; tolerations?: IToleration[] }
export interface Scalable extends Scheduling { replicas: number }
export interface Persistent extends Scheduling { storageClassName?: string }

export interface ApiManagerImages {
  apicast: string;
  backend: string;
  system: string;
  zync: string;
  systemMemcached: string;
  backendRedis: string;
  systemRedis: string;
  systemMysql: string;
  systemPostgresql: string;
  zyncPostgresql: string;
}

export type FileStorage =
  | { kind: 'pvc'; storageClassName?: string }
  | { kind: 's3'; secretName: string };

export type SystemDatabase =
  | ({ kind: 'mysql' } & Persistent)
  | ({ kind: 'postgresql' } & Persistent)
  /** HA: user-provided `system-database` (mysql2, postgresql or oracle-enhanced URL). */
  | { kind: 'external' };

export interface ApiManagerModel {
  name: string;
  namespace?: string;
  /** ImageStream tag and AMP_RELEASE (`2.9`, or `${AMP_RELEASE}` in templates). */
  release: string;
  appLabel: string;
  tenantName: string;
  wildcardDomain: string;
  /** boolean, or the `${{IMAGESTREAM_TAG_IMPORT_INSECURE}}` placeholder for templates. */
  imageStreamTagImportInsecure: boolean | string;
  resourceRequirementsEnabled: boolean;
  images: ApiManagerImages;
  apicast: {
    managementAPI: string;
    /** "true"/"false" (string: templates parameterise it). */
    openSSLVerify: string;
    responseCodes: string;
    registryURL: string;
    staging: Scalable;
    production: Scalable;
  };
  backend: { listener: Scalable; worker: Scalable; cron: Scalable; redis: Persistent };
  system: {
    app: Scalable;
    sidekiq: Scalable;
    sphinx: Scheduling;
    memcached: Scheduling;
    redis: Persistent;
    fileStorage: FileStorage;
    database: SystemDatabase;
  };
  zync: { app: Scalable; que: Scalable; database: Scheduling };
  highAvailability: boolean;
  podDisruptionBudget: boolean;
  monitoring: { enabled: boolean };
  /**
   * Operator-only additions (operator-objects §10): metrics env and ports, metering labels, zync element
   * labels, the redis-config-hash pod annotation. False for OpenShift templates.
   */
  operatorExtras: boolean;
}

export interface ApicastModel {
  name: string;
  namespace?: string;
  replicas: number;
  image: string;
  serviceAccount: string;
  adminPortalSecret?: string;
  embeddedConfigurationSecret?: string;
  exposedHost?: { host: string; tls?: { hosts?: string[]; secretName?: string }[] };
  /** Env entries in the order of operator.md §7.2 (only set fields). */
  env: { name: string; value: string }[];
  resources: IResourceRequirements;
  customPolicies: { name: string; version: string; secretName: string }[];
}

export interface FieldError { path: string; reason: string }
/** `warnings`: accepted but ignored or deprecated input, worth telling the user (render prints them on stderr). */
export type Result<T> = { ok: true; value: T; warnings?: FieldError[] } | { ok: false; errors: FieldError[] };
