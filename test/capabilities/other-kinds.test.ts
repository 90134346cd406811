/**
 * The kinds around a product, against the fake 3scale: ApplicationAuth (keys from a Secret or generated into
 * it), ActiveDoc, CustomPolicyDefinition, OpenAPI (generating a Backend and a Product CR), DeveloperUser roles
 * and suspension, Application plan changes and suspension, and Tenant through the Master API.
 */
import assert from 'node:assert/strict';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { apiVersionOf } from '../../operator/src/capabilities/api/kinds.js';
import { decodeSecretData } from '../../operator/src/controller/reconcilers/context.js';
import { editObject } from '../operator/fixture.js';
import { capabilitiesSuite, cr, eventually, getCr, waitFor } from './fixture.js';

const PETS_OPENAPI = JSON.stringify({
  openapi: '3.0.2',
  info: { title: 'Pets', description: 'Pets API' },
  servers: [{ url: 'https://pets.internal.example.com' }],
  components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } } },
  paths: { '/pets': { get: { operationId: 'listPets', summary: 'List pets' } }, '/pets/{id}': { delete: { operationId: 'deletePet' } } },
});

describe('capabilities: accounts, applications, credentials, docs, policies, OpenAPI and tenants', function () {
  this.timeout(120_000);
  const suite = capabilitiesSuite('caps-kinds');

  before(async function () {
    this.timeout(60_000);
    const { admin, namespace } = suite;
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'pw', namespace },
      stringData: { password: 'a-long-password-1' },
    });
    await admin.create(cr('Backend', namespace, 'be', { name: 'Backend', systemName: 'be', privateBaseURL: 'https://be.example.com' }));
    await admin.create(
      cr('Product', namespace, 'keyed', {
        name: 'Keyed',
        backendUsages: { be: { path: '/' } },
        applicationPlans: { basic: { name: 'Basic' }, pro: { name: 'Pro' } },
      }),
    );
    await admin.create(
      cr('Product', namespace, 'appid', {
        name: 'App id',
        deployment: { apicastHosted: { authentication: { appKeyAppID: { appID: 'app_id', appKey: 'app_key' } } } },
        backendUsages: { be: { path: '/' } },
        applicationPlans: { basic: { name: 'Basic' } },
      }),
    );
    await admin.create(cr('DeveloperAccount', namespace, 'acme', { orgName: 'ACME' }));
    await admin.create(
      cr('DeveloperUser', namespace, 'acme-admin', {
        username: 'acme-admin',
        email: 'a@acme.example.com',
        role: 'admin',
        passwordCredentialsRef: { name: 'pw' },
        developerAccountRef: { name: 'acme' },
      }),
    );
    await waitFor(admin, 'DeveloperAccount', namespace, 'acme', 'Synced', 45_000);
  });

  it('DeveloperUser: a member is created, activated, then suspended and made admin as the CR says', async () => {
    const { admin, namespace, fake } = suite;
    await admin.create(
      cr('DeveloperUser', namespace, 'bob', {
        username: 'bob',
        email: 'bob@acme.example.com',
        passwordCredentialsRef: { name: 'pw' },
        developerAccountRef: { name: 'acme' },
      }),
    );
    const bob = await waitFor(admin, 'DeveloperUser', namespace, 'bob');
    const row = () => fake.tenant().users.get(Number(bob.status?.developerUserID))!;
    assert.deepEqual([row().state, row().role, bob.status?.created], ['active', 'member', true]);
    await editObject<KubeObject & { spec: Record<string, unknown> }>(
      admin,
      apiVersionOf('DeveloperUser'),
      'DeveloperUser',
      namespace,
      'bob',
      (u) => {
        u.spec.suspended = true;
        u.spec.role = 'admin';
      },
    );
    await eventually('suspended admin', () => row().state === 'suspended' && row().role === 'admin', 20_000, 200);
  });

  it('Application: created on the named plan, moved to another plan and suspended when the CR says so', async () => {
    const { admin, namespace, fake } = suite;
    await admin.create(
      cr('Application', namespace, 'app', {
        accountCR: { name: 'acme' },
        productCR: { name: 'keyed' },
        applicationPlanName: 'basic',
        name: 'App',
        description: 'An app',
      }),
    );
    const app = await waitFor(admin, 'Application', namespace, 'app', 'Synced', 30_000);
    const row = () => fake.tenant().applications.get(Number(app.status?.id))!;
    const planId = (name: string) => fake.tenant().plans.find((p) => p.system_name === name && p.service_id === row().service_id)!.id;
    assert.equal(row().plan_id, planId('basic'));
    await editObject<KubeObject & { spec: Record<string, unknown> }>(
      admin,
      apiVersionOf('Application'),
      'Application',
      namespace,
      'app',
      (a) => {
        a.spec.applicationPlanName = 'pro';
        a.spec.suspend = true;
      },
    );
    await eventually('on pro, suspended', () => row().plan_id === planId('pro') && row().state === 'suspended', 20_000, 200);
  });

  it('ApplicationAuth: sets the user key from a Secret on a user-key product', async () => {
    const { admin, namespace, fake } = suite;
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'app-keys', namespace },
      stringData: { UserKey: 'my-chosen-user-key' },
    });
    await admin.create(cr('ApplicationAuth', namespace, 'app-auth', { applicationCRName: 'app', authSecretRef: { name: 'app-keys' } }));
    await waitFor(admin, 'ApplicationAuth', namespace, 'app-auth');
    const app = await getCr(admin, 'Application', namespace, 'app');
    assert.equal(fake.tenant().applications.get(Number(app.status?.id))?.user_key, 'my-chosen-user-key');
  });

  it('ApplicationAuth: generates an application key into a new Secret on an app-id product, and adds it in 3scale', async () => {
    const { admin, namespace, fake } = suite;
    await admin.create(
      cr('Application', namespace, 'app2', {
        accountCR: { name: 'acme' },
        productCR: { name: 'appid' },
        applicationPlanName: 'basic',
        name: 'App two',
        description: 'Another app',
      }),
    );
    await waitFor(admin, 'Application', namespace, 'app2', 'Synced', 30_000);
    await admin.create(
      cr('ApplicationAuth', namespace, 'app2-auth', {
        applicationCRName: 'app2',
        authSecretRef: { name: 'app2-keys' },
        generateSecret: true,
      }),
    );
    await waitFor(admin, 'ApplicationAuth', namespace, 'app2-auth');
    const key = decodeSecretData(await admin.get('v1', 'Secret', namespace, 'app2-keys')).ApplicationKey;
    assert.match(key, /^[0-9a-f]{32}$/);
    const app = await getCr(admin, 'Application', namespace, 'app2');
    assert.ok(fake.tenant().applications.get(Number(app.status?.id))?.keys.includes(key));
  });

  it('ActiveDoc from a Secret, attached to its product; CustomPolicyDefinition in the registry', async () => {
    const { admin, namespace, fake } = suite;
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'pets-doc', namespace },
      stringData: { 'openapi.json': PETS_OPENAPI },
    });
    await admin.create(
      cr('ActiveDoc', namespace, 'docs', {
        name: 'Pets docs',
        productSystemName: 'keyed',
        published: true,
        activeDocOpenAPIRef: { secretRef: { name: 'pets-doc' } },
      }),
    );
    const doc = await waitFor(admin, 'ActiveDoc', namespace, 'docs');
    const row = fake.tenant().activeDocs.get(Number(doc.status?.activeDocId))!;
    assert.deepEqual(
      [row.system_name, row.published, row.service_id],
      ['pets_docs', true, fake.tenant().services.find((s) => s.system_name === 'keyed')!.id],
    );
    assert.equal((JSON.parse(row.body) as { info: { title: string } }).info.title, 'Pets');

    await admin.create(
      cr('CustomPolicyDefinition', namespace, 'xrid', {
        name: 'x_request_id',
        version: '0.1',
        schema: {
          name: 'X-Request-Id',
          version: '0.1',
          summary: 'Adds an id',
          configuration: { type: 'object', properties: { header: { type: 'string' } } },
        },
      }),
    );
    const policy = await waitFor(admin, 'CustomPolicyDefinition', namespace, 'xrid');
    const entry = fake.tenant().registryPolicies.get(Number(policy.status?.policyID))!;
    assert.deepEqual([entry.name, entry.version, (entry.schema as { summary?: string }).summary], ['x_request_id', '0.1', 'Adds an id']);
  });

  it('OpenAPI: generates a Backend and a Product CR it owns, which sync like hand-written ones', async () => {
    const { admin, namespace, fake } = suite;
    await admin.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'pets-openapi', namespace },
      data: { 'pets.json': PETS_OPENAPI },
    });
    await admin.create(
      cr('OpenAPI', namespace, 'pets', {
        openapiRef: { configMapRef: { name: 'pets-openapi' } },
        productionPublicBaseURL: 'https://pets.example.com',
      }),
    );
    const openapi = await waitFor(admin, 'OpenAPI', namespace, 'pets');
    const product = await waitFor(admin, 'Product', namespace, 'pets', 'Synced', 45_000);
    assert.ok(product.metadata.ownerReferences?.some((r) => r.uid === openapi.metadata.uid && r.controller));
    const service = fake.tenant().services.get(Number(product.status?.productId))!;
    assert.equal(service.system_name, 'pets');
    const rules = fake
      .tenant()
      .mappingRules.where((r) => r.owner_type === 'Service' && r.owner_id === service.id)
      .map((r) => `${r.http_method} ${r.pattern}`)
      .sort();
    assert.deepEqual(rules, ['DELETE /pets/{id}$', 'GET /pets$']);
    assert.equal(fake.tenant().proxies.find((p) => p.service_id === service.id)?.auth_user_key, 'X-Key');
  });

  it('Tenant: a provider account through the Master API, its admin activated, its credentials in a Secret that works as providerAccountRef', async () => {
    const { admin, namespace, fake } = suite;
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'master', namespace },
      stringData: { MASTER_ACCESS_TOKEN: fake.masterToken },
    });
    await admin.create(
      cr('Tenant', namespace, 'globex', {
        username: 'admin',
        email: 'admin@globex.example.com',
        organizationName: 'Globex',
        systemMasterUrl: fake.url,
        passwordCredentialsRef: { name: 'pw', namespace },
        masterCredentialsRef: { name: 'master', namespace },
        tenantSecretRef: { name: 'globex-account', namespace },
      }),
    );
    const tenantCr = await waitFor(admin, 'Tenant', namespace, 'globex');
    const provider = fake.state.providers.get(Number(tenantCr.status?.tenantId))!;
    assert.equal(provider.admin_user_state, 'active');
    const credentials = decodeSecretData(await admin.get('v1', 'Secret', namespace, 'globex-account'));
    assert.equal(credentials.adminURL, fake.url);
    // The new tenant's own token manages its own account.
    await admin.create(
      cr('Backend', namespace, 'globex-be', {
        name: 'Globex backend',
        privateBaseURL: 'https://g.example.com',
        providerAccountRef: { name: 'globex-account' },
      }),
    );
    await waitFor(admin, 'Backend', namespace, 'globex-be');
    assert.ok(fake.tenant(credentials.token).backends.find((b) => b.system_name === 'globex_backend'));
    assert.equal(
      fake.tenant().backends.find((b) => b.system_name === 'globex_backend'),
      undefined,
      'not in the default tenant',
    );
  });
});
