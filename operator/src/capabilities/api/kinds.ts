// The capabilities.3scale.net kinds: one entry each, with the schemas its CRD serves and the TypeScript types the
// reconcilers read (derived from those schemas, so the two cannot drift).
import type { Infer, JsonSchema } from '../../api/schema-parts.js';
import { CAPABILITIES_GROUP } from './common.js';
import { BACKEND_SPEC_SCHEMA, BACKEND_STATUS_SCHEMA } from './backend.js';
import { PRODUCT_SPEC_SCHEMA, PRODUCT_STATUS_SCHEMA } from './product.js';
import { DEVELOPER_ACCOUNT_SPEC_SCHEMA, DEVELOPER_ACCOUNT_STATUS_SCHEMA } from './developer-account.js';
import { DEVELOPER_USER_SPEC_SCHEMA, DEVELOPER_USER_STATUS_SCHEMA } from './developer-user.js';
import { APPLICATION_SPEC_SCHEMA, APPLICATION_STATUS_SCHEMA } from './application.js';
import { APPLICATION_AUTH_SPEC_SCHEMA, APPLICATION_AUTH_STATUS_SCHEMA } from './application-auth.js';
import { PROXY_CONFIG_PROMOTE_SPEC_SCHEMA, PROXY_CONFIG_PROMOTE_STATUS_SCHEMA } from './proxy-config-promote.js';
import { ACTIVE_DOC_SPEC_SCHEMA, ACTIVE_DOC_STATUS_SCHEMA } from './active-doc.js';
import { CUSTOM_POLICY_DEFINITION_SPEC_SCHEMA, CUSTOM_POLICY_DEFINITION_STATUS_SCHEMA } from './custom-policy-definition.js';
import { OPENAPI_SPEC_SCHEMA, OPENAPI_STATUS_SCHEMA } from './openapi.js';
import { TENANT_SPEC_SCHEMA, TENANT_STATUS_SCHEMA } from './tenant.js';

export interface CapabilityKind {
  kind: string;
  version: 'v1beta1' | 'v1alpha1';
  plural: string;
  singular: string;
  spec: JsonSchema;
  status: JsonSchema;
  /** The status field holding the 3scale id (printed by kubectl get). */
  idField?: string;
}

export const CAPABILITY_KINDS = {
  Backend: {
    kind: 'Backend',
    version: 'v1beta1',
    plural: 'backends',
    singular: 'backend',
    spec: BACKEND_SPEC_SCHEMA,
    status: BACKEND_STATUS_SCHEMA,
    idField: 'backendId',
  },
  Product: {
    kind: 'Product',
    version: 'v1beta1',
    plural: 'products',
    singular: 'product',
    spec: PRODUCT_SPEC_SCHEMA,
    status: PRODUCT_STATUS_SCHEMA,
    idField: 'productId',
  },
  DeveloperAccount: {
    kind: 'DeveloperAccount',
    version: 'v1beta1',
    plural: 'developeraccounts',
    singular: 'developeraccount',
    spec: DEVELOPER_ACCOUNT_SPEC_SCHEMA,
    status: DEVELOPER_ACCOUNT_STATUS_SCHEMA,
    idField: 'accountID',
  },
  DeveloperUser: {
    kind: 'DeveloperUser',
    version: 'v1beta1',
    plural: 'developerusers',
    singular: 'developeruser',
    spec: DEVELOPER_USER_SPEC_SCHEMA,
    status: DEVELOPER_USER_STATUS_SCHEMA,
    idField: 'developerUserID',
  },
  Application: {
    kind: 'Application',
    version: 'v1beta1',
    plural: 'applications',
    singular: 'application',
    spec: APPLICATION_SPEC_SCHEMA,
    status: APPLICATION_STATUS_SCHEMA,
    idField: 'id',
  },
  ApplicationAuth: {
    kind: 'ApplicationAuth',
    version: 'v1beta1',
    plural: 'applicationauths',
    singular: 'applicationauth',
    spec: APPLICATION_AUTH_SPEC_SCHEMA,
    status: APPLICATION_AUTH_STATUS_SCHEMA,
  },
  ProxyConfigPromote: {
    kind: 'ProxyConfigPromote',
    version: 'v1beta1',
    plural: 'proxyconfigpromotes',
    singular: 'proxyconfigpromote',
    spec: PROXY_CONFIG_PROMOTE_SPEC_SCHEMA,
    status: PROXY_CONFIG_PROMOTE_STATUS_SCHEMA,
    idField: 'productId',
  },
  ActiveDoc: {
    kind: 'ActiveDoc',
    version: 'v1beta1',
    plural: 'activedocs',
    singular: 'activedoc',
    spec: ACTIVE_DOC_SPEC_SCHEMA,
    status: ACTIVE_DOC_STATUS_SCHEMA,
    idField: 'activeDocId',
  },
  CustomPolicyDefinition: {
    kind: 'CustomPolicyDefinition',
    version: 'v1beta1',
    plural: 'custompolicydefinitions',
    singular: 'custompolicydefinition',
    spec: CUSTOM_POLICY_DEFINITION_SPEC_SCHEMA,
    status: CUSTOM_POLICY_DEFINITION_STATUS_SCHEMA,
    idField: 'policyID',
  },
  OpenAPI: {
    kind: 'OpenAPI',
    version: 'v1beta1',
    plural: 'openapis',
    singular: 'openapi',
    spec: OPENAPI_SPEC_SCHEMA,
    status: OPENAPI_STATUS_SCHEMA,
  },
  Tenant: {
    kind: 'Tenant',
    version: 'v1alpha1',
    plural: 'tenants',
    singular: 'tenant',
    spec: TENANT_SPEC_SCHEMA,
    status: TENANT_STATUS_SCHEMA,
    idField: 'tenantId',
  },
} as const satisfies Record<string, CapabilityKind>;

export type CapabilityKindName = keyof typeof CAPABILITY_KINDS;

export const apiVersionOf = (kind: CapabilityKindName): string => `${CAPABILITIES_GROUP}/${CAPABILITY_KINDS[kind].version}`;

export type BackendSpec = Infer<typeof BACKEND_SPEC_SCHEMA>;
export type ProductSpec = Infer<typeof PRODUCT_SPEC_SCHEMA>;
export type DeveloperAccountSpec = Infer<typeof DEVELOPER_ACCOUNT_SPEC_SCHEMA>;
export type DeveloperUserSpec = Infer<typeof DEVELOPER_USER_SPEC_SCHEMA>;
export type ApplicationSpec = Infer<typeof APPLICATION_SPEC_SCHEMA>;
export type ApplicationAuthSpec = Infer<typeof APPLICATION_AUTH_SPEC_SCHEMA>;
export type ProxyConfigPromoteSpec = Infer<typeof PROXY_CONFIG_PROMOTE_SPEC_SCHEMA>;
export type ActiveDocSpec = Infer<typeof ACTIVE_DOC_SPEC_SCHEMA>;
export type CustomPolicyDefinitionSpec = Infer<typeof CUSTOM_POLICY_DEFINITION_SPEC_SCHEMA>;
export type OpenApiSpec = Infer<typeof OPENAPI_SPEC_SCHEMA>;
export type TenantSpec = Infer<typeof TENANT_SPEC_SCHEMA>;
export type MappingRuleSpec = NonNullable<BackendSpec['mappingRules']>[number];
export type ApplicationPlanSpec = NonNullable<ProductSpec['applicationPlans']>[string];
