// One example of each capabilities CR: the CSV's alm-examples (what the console pre-fills) and docs/capabilities.md.
// Together they are a small working set: a backend, a product routing to it with a plan, a developer account with
// its admin, an application, and a promotion to production.
import { V1ALPHA1, V1BETA1 } from './common.js';

export const CAPABILITY_EXAMPLES: readonly Record<string, unknown>[] = [
  {
    apiVersion: V1BETA1,
    kind: 'Backend',
    metadata: { name: 'pets-backend' },
    spec: {
      name: 'Pets backend',
      systemName: 'pets',
      privateBaseURL: 'https://pets.internal.example.com',
      metrics: { pets_listed: { friendlyName: 'Pets listed', unit: 'pet' } },
      methods: { list_pets: { friendlyName: 'List pets' } },
      mappingRules: [{ httpMethod: 'GET', pattern: '/pets$', metricMethodRef: 'list_pets', increment: 1, last: true }],
    },
  },
  {
    apiVersion: V1BETA1,
    kind: 'Product',
    metadata: { name: 'pets-api' },
    spec: {
      name: 'Pets API',
      systemName: 'pets_api',
      deployment: {
        apicastSelfManaged: {
          stagingPublicBaseURL: 'https://pets-staging.example.com',
          productionPublicBaseURL: 'https://pets.example.com',
          authentication: { userkey: { authUserKey: 'user_key', credentials: 'query' } },
        },
      },
      backendUsages: { pets: { path: '/' } },
      mappingRules: [{ httpMethod: 'GET', pattern: '/', metricMethodRef: 'hits', increment: 1, last: false }],
      applicationPlans: {
        basic: { name: 'Basic', published: true, limits: [{ period: 'minute', value: 100, metricMethodRef: { systemName: 'hits' } }] },
      },
    },
  },
  { apiVersion: V1BETA1, kind: 'DeveloperAccount', metadata: { name: 'acme' }, spec: { orgName: 'ACME' } },
  {
    apiVersion: V1BETA1,
    kind: 'DeveloperUser',
    metadata: { name: 'acme-admin' },
    spec: {
      username: 'acme-admin',
      email: 'admin@acme.example.com',
      role: 'admin',
      passwordCredentialsRef: { name: 'acme-admin-password' },
      developerAccountRef: { name: 'acme' },
    },
  },
  {
    apiVersion: V1BETA1,
    kind: 'Application',
    metadata: { name: 'acme-pets' },
    spec: {
      accountCR: { name: 'acme' },
      productCR: { name: 'pets-api' },
      applicationPlanName: 'basic',
      name: 'ACME pets client',
      description: 'The ACME mobile app',
    },
  },
  {
    apiVersion: V1BETA1,
    kind: 'ApplicationAuth',
    metadata: { name: 'acme-pets-auth' },
    spec: { applicationCRName: 'acme-pets', authSecretRef: { name: 'acme-pets-keys' }, generateSecret: true },
  },
  {
    apiVersion: V1BETA1,
    kind: 'ProxyConfigPromote',
    metadata: { name: 'pets-api-to-production' },
    spec: { productCRName: 'pets-api', production: true },
  },
  {
    apiVersion: V1BETA1,
    kind: 'ActiveDoc',
    metadata: { name: 'pets-docs' },
    spec: {
      name: 'Pets API docs',
      productSystemName: 'pets_api',
      published: true,
      activeDocOpenAPIRef: { secretRef: { name: 'pets-openapi' } },
    },
  },
  {
    apiVersion: V1BETA1,
    kind: 'CustomPolicyDefinition',
    metadata: { name: 'x-request-id' },
    spec: {
      name: 'x_request_id',
      version: '0.1',
      schema: {
        name: 'X-Request-Id',
        version: '0.1',
        summary: 'Adds an X-Request-Id header',
        configuration: { type: 'object', properties: {} },
      },
    },
  },
  {
    apiVersion: V1BETA1,
    kind: 'OpenAPI',
    metadata: { name: 'pets-openapi' },
    spec: { openapiRef: { configMapRef: { name: 'pets-openapi' } }, productionPublicBaseURL: 'https://pets.example.com' },
  },
  {
    apiVersion: V1ALPHA1,
    kind: 'Tenant',
    metadata: { name: 'acme-tenant' },
    spec: {
      username: 'admin',
      email: 'admin@acme.example.com',
      organizationName: 'ACME',
      systemMasterUrl: 'https://master.example.com',
      passwordCredentialsRef: { name: 'acme-tenant-password', namespace: 'threescale' },
      masterCredentialsRef: { name: 'system-seed', namespace: 'threescale' },
      tenantSecretRef: { name: 'acme-provider-account', namespace: 'threescale' },
    },
  },
];
