// TypeScript view of the two custom resources (operator.md §1.2 and §7.1). The JSON Schemas next to this file
// describe the same shapes for the API server and for ajv; api/schema.test.ts checks they agree on field names.
import type { IAffinity } from 'kubernetes-models/v1/Affinity';
import type { IToleration } from 'kubernetes-models/v1/Toleration';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';

export interface ObjectMetaInput {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface LocalObjectReference { name?: string }
export interface Scheduling { affinity?: IAffinity; tolerations?: IToleration[] }
export interface ReplicatedSpec extends Scheduling { replicas?: number }
export interface PvcSpec { storageClassName?: string }

export interface APIManagerSpec {
  wildcardDomain: string;
  appLabel?: string;
  tenantName?: string;
  imageStreamTagImportInsecure?: boolean;
  resourceRequirementsEnabled?: boolean;
  apicast?: {
    managementAPI?: 'disabled' | 'status' | 'debug';
    openSSLVerify?: boolean;
    responseCodes?: boolean;
    registryURL?: string;
    image?: string;
    stagingSpec?: ReplicatedSpec;
    productionSpec?: ReplicatedSpec;
  };
  backend?: {
    image?: string;
    redisImage?: string;
    redisPersistentVolumeClaim?: PvcSpec;
    redisAffinity?: IAffinity;
    redisTolerations?: IToleration[];
    listenerSpec?: ReplicatedSpec;
    workerSpec?: ReplicatedSpec;
    cronSpec?: ReplicatedSpec;
  };
  system?: {
    image?: string;
    memcachedImage?: string;
    memcachedAffinity?: IAffinity;
    memcachedTolerations?: IToleration[];
    redisImage?: string;
    redisPersistentVolumeClaim?: PvcSpec;
    redisAffinity?: IAffinity;
    redisTolerations?: IToleration[];
    fileStorage?: {
      persistentVolumeClaim?: PvcSpec;
      simpleStorageService?: { configurationSecretRef: LocalObjectReference };
      amazonSimpleStorageService?: { awsBucket: string; awsRegion: string; awsCredentialsSecret: LocalObjectReference };
    };
    database?: {
      mysql?: { image?: string; persistentVolumeClaim?: PvcSpec } & Scheduling;
      postgresql?: { image?: string; persistentVolumeClaim?: PvcSpec } & Scheduling;
    };
    appSpec?: ReplicatedSpec;
    sidekiqSpec?: ReplicatedSpec;
    sphinxSpec?: Scheduling;
  };
  zync?: {
    image?: string;
    postgreSQLImage?: string;
    databaseAffinity?: IAffinity;
    databaseTolerations?: IToleration[];
    appSpec?: ReplicatedSpec;
    queSpec?: ReplicatedSpec;
  };
  highAvailability?: { enabled?: boolean };
  podDisruptionBudget?: { enabled?: boolean };
  monitoring?: { enabled?: boolean };
}

export interface APIManager {
  apiVersion: 'apps.3scale.net/v1alpha1';
  kind: 'APIManager';
  metadata: ObjectMetaInput;
  spec: APIManagerSpec;
  status?: unknown;
}

export interface IngressTLSInput { hosts?: string[]; secretName?: string }

export interface APIcastSpec {
  replicas?: number;
  adminPortalCredentialsRef?: LocalObjectReference;
  embeddedConfigurationSecretRef?: LocalObjectReference;
  serviceAccount?: string;
  image?: string;
  exposedHost?: { host: string; tls?: IngressTLSInput[] };
  deploymentEnvironment?: string;
  dnsResolverAddress?: string;
  enabledServices?: string[];
  configurationLoadMode?: 'boot' | 'lazy';
  logLevel?: 'debug' | 'info' | 'notice' | 'warn' | 'error' | 'crit' | 'alert' | 'emerg';
  pathRoutingEnabled?: boolean;
  responseCodesIncluded?: boolean;
  cacheConfigurationSeconds?: number;
  managementAPIScope?: 'disabled' | 'status' | 'policies' | 'debug';
  openSSLPeerVerificationEnabled?: boolean;
  workers?: number;
  resources?: IResourceRequirements;
  customPolicies?: { name: string; version: string; secretRef: LocalObjectReference }[];
}

export interface APIcast {
  apiVersion: 'apps.3scale.net/v1alpha1';
  kind: 'APIcast';
  metadata: ObjectMetaInput;
  spec: APIcastSpec;
  status?: unknown;
}

export const API_GROUP = 'apps.3scale.net';
export const API_VERSION = 'v1alpha1';
export const GROUP_VERSION = `${API_GROUP}/${API_VERSION}` as const;
