// TypeScript view of the two custom resources (operator.md §1.2 and §7.1), derived from their schemas: the CRD,
// ajv's validation and this code read one definition (api/schema-parts.ts explains how).
import type { Infer } from './schema-parts.js';
import type { gatewayFields } from './gateway-schema.js';
import type { APIMANAGER_SPEC_SCHEMA } from './apimanager-schema.js';
import type { APICAST_SPEC_SCHEMA } from './apicast-schema.js';

export interface ObjectMetaInput {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}

export type APIManagerSpec = Infer<typeof APIMANAGER_SPEC_SCHEMA>;
export type ApicastSpecs = NonNullable<APIManagerSpec['apicast']>;
/** A workload spec with replicas (apicast staging, system app, ...); the autoscaled ones add `hpa`. */
export type ReplicatedSpec = NonNullable<ApicastSpecs['stagingSpec']>;
export type AutoscaledSpec = NonNullable<ApicastSpecs['productionSpec']>;
export type PvcSpec = NonNullable<NonNullable<APIManagerSpec['backend']>['redisPersistentVolumeClaim']>;

type GatewayFieldSchemas = ReturnType<typeof gatewayFields>;
/** The gateway settings shared by the APIManager's gateway specs and the APIcast CR. */
export type GatewaySpec = { [K in keyof GatewayFieldSchemas]?: Infer<GatewayFieldSchemas[K]> };

export interface APIManager {
  apiVersion: 'apps.3scale.net/v1alpha1';
  kind: 'APIManager';
  metadata: ObjectMetaInput;
  spec: APIManagerSpec;
  status?: unknown;
}

export type APIcastSpec = Infer<typeof APICAST_SPEC_SCHEMA>;
export type IngressTLSInput = NonNullable<NonNullable<APIcastSpec['exposedHost']>['tls']>[number];

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
