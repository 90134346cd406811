// The validated, defaulted model that every builder reads. Strings are used verbatim by builders and may be
// OpenShift template placeholders (`${TENANT_NAME}`), see operator/ARCHITECTURE.md.
import type { IAffinity } from 'kubernetes-models/v1/Affinity';
import type { IToleration } from 'kubernetes-models/v1/Toleration';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';

/** Where a workload's pods run and what extra metadata they carry (every field optional, set only when given). */
export interface Scheduling {
  affinity?: IAffinity;
  tolerations?: IToleration[];
  priorityClassName?: string;
  topologySpreadConstraints?: ITopologySpreadConstraint[];
  /** Merged over the generated pod labels; a generated label wins (selectors depend on it). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
/** `autoscaled`: a HorizontalPodAutoscaler owns the replica count (replicas is only the initial value). */
export interface Scalable extends Scheduling {
  replicas: number;
  autoscaled?: boolean;
}
/** PVC settings: applied when the claim is created; a bound claim is never changed. */
export interface Claim {
  storageClassName?: string;
  volumeName?: string;
  storageRequest?: string;
}
export interface Persistent extends Scheduling, Claim {}

/** Which connections use TLS: backend storage Redis, backend queues Redis, system Redis, system database. */
export interface TlsLinks {
  backendRedis: boolean;
  queues: boolean;
  systemRedis: boolean;
  systemDatabase: boolean;
}

export interface ExternalComponents {
  backendRedis: boolean;
  systemRedis: boolean;
  systemDatabase: boolean;
  zyncDatabase: boolean;
}

/** The gateway's own settings (custom policies and environments, tracing, HTTPS, proxies, APICAST_* values). */
export interface GatewayOptions {
  customPolicies: { name: string; version: string; secretName: string }[];
  /** Secret names, mounted in order. */
  customEnvironments: string[];
  /** Present when tracing is on; `key` unset = the Secret's first key. */
  openTelemetry?: { secretName?: string; key?: string };
  https?: { port: number; verifyDepth?: number; certificateSecret?: string };
  /** Literal env vars in a fixed order (proxies, cache size, workers, log level). */
  env: { name: string; value: string }[];
}

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

export type FileStorage = ({ kind: 'pvc' } & Claim) | { kind: 's3'; secretName: string };

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
  /** Per-container resources from the CR (container name → resources); they replace the defaults. */
  /** Container name → the CR's resources for it; containers the CR does not name are absent. */
  resourceOverrides: Partial<Record<string, IResourceRequirements>>;
  images: ApiManagerImages;
  apicast: {
    managementAPI: string;
    /** "true"/"false" (string: templates parameterise it). */
    openSSLVerify: string;
    responseCodes: string;
    registryURL: string;
    staging: Scalable;
    production: Scalable;
    /** The gateways' own settings, per environment. */
    gateway: { staging: GatewayOptions; production: GatewayOptions };
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
  /** enabled false: no zync objects at all (components/zync/disabled.ts). */
  zync: { enabled: boolean; app: Scalable; que: Scalable; database: Scheduling };
  /** Pull secrets of the amp ServiceAccount; undefined keeps the 2.9 default (threescale-registry-auth). */
  imagePullSecrets?: string[];
  /** Databases the installation does not deploy: their Secrets are the user's (externalComponents / highAvailability). */
  external: ExternalComponents;
  /** The `*TLSEnabled` flags (2.15+); absent when none is set, so a 2.9 CR's model is unchanged. */
  tls?: TlsLinks;
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
  exposedHost?: { host: string; ingressClassName?: string; tls?: { hosts?: string[]; secretName?: string }[] };
  /** Env entries in the order of operator.md §7.2 (only set fields). */
  env: { name: string; value: string }[];
  resources: IResourceRequirements;
  /** Custom policies and environments, tracing, HTTPS, proxies (shared with the embedded gateways). */
  gateway: GatewayOptions;
  /** Secret with ca-bundle.crt that replaces the trusted CAs (SSL_CERT_FILE). */
  caCertificateSecret?: string;
  scheduling: Scheduling;
  autoscaled: boolean;
  podDisruptionBudget?: { maxUnavailable?: number | string; minAvailable?: number | string };
}

export interface FieldError {
  path: string;
  reason: string;
}
/** `warnings`: accepted but ignored or deprecated input, worth telling the user (render prints them on stderr). */
export type Result<T> = { ok: true; value: T; warnings?: FieldError[] } | { ok: false; errors: FieldError[] };
