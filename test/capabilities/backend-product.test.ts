/**
 * Backend and Product CRs against the fake 3scale API, with the operator running as a process under its own
 * RBAC: what lands in 3scale, that a resync with nothing changed only reads, that a change made in the admin UI
 * is put back and reported, that a spec change is written and deployed to staging, and what deletion removes.
 */
import assert from 'node:assert/strict';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { editObject } from '../operator/fixture.js';
import { sumMetric } from '../operator/fixture.js';
import { apiVersionOf } from '../../operator/src/capabilities/api/kinds.js';
import { capabilitiesSuite, cr, eventsOf, eventually, getCr, waitFor } from './fixture.js';

const BACKEND = {
  name: 'Pets backend',
  systemName: 'pets',
  privateBaseURL: 'https://pets.internal.example.com',
  metrics: { pets_listed: { friendlyName: 'Pets listed', unit: 'pet' } },
  methods: { list_pets: { friendlyName: 'List pets' } },
  mappingRules: [{ httpMethod: 'GET', pattern: '/pets$', metricMethodRef: 'list_pets', increment: 1, last: true }],
};

const PRODUCT = {
  name: 'Pets API',
  systemName: 'pets_api',
  deployment: {
    apicastSelfManaged: {
      stagingPublicBaseURL: 'https://pets-staging.example.com',
      productionPublicBaseURL: 'https://pets.example.com',
      authentication: { userkey: { authUserKey: 'api_key', credentials: 'query' } },
    },
  },
  backendUsages: { pets: { path: '/v1' } },
  metrics: { orders: { friendlyName: 'Orders', unit: 'order' } },
  mappingRules: [{ httpMethod: 'POST', pattern: '/orders', metricMethodRef: 'orders', increment: 2, last: false }],
  policies: [
    { name: 'cors', version: 'builtin', enabled: true, configuration: { allow_origin: '*' } },
    { name: 'apicast', version: 'builtin', enabled: true, configuration: {} },
  ],
  applicationPlans: {
    basic: {
      name: 'Basic',
      published: true,
      costMonth: '10',
      setupFee: '1.5',
      limits: [
        { period: 'minute', value: 100, metricMethodRef: { systemName: 'hits' } },
        { period: 'day', value: 5, metricMethodRef: { systemName: 'list_pets', backend: 'pets' } },
      ],
      pricingRules: [{ from: 1, to: 100, pricePerUnit: '0.5', metricMethodRef: { systemName: 'orders' } }],
    },
  },
};

describe('capabilities: Backend and Product CRs against the fake 3scale', function () {
  this.timeout(120_000);
  const suite = capabilitiesSuite('caps-sync');

  it('writes the backend and the product with everything they declare, and deploys the product to staging', async () => {
    const { admin, namespace, fake } = suite;
    await admin.create(cr('Backend', namespace, 'pets-backend', BACKEND));
    await admin.create(cr('Product', namespace, 'pets-api', PRODUCT));
    const backendCr = await waitFor(admin, 'Backend', namespace, 'pets-backend');
    const productCr = await waitFor(admin, 'Product', namespace, 'pets-api');
    const tenant = fake.tenant();
    const backend = tenant.backends.find((b) => b.system_name === 'pets')!;
    const service = tenant.services.find((s) => s.system_name === 'pets_api')!;
    assert.equal(backendCr.status?.backendId, backend.id);
    assert.equal(productCr.status?.productId, service.id);
    assert.equal(backendCr.status.created, true);
    assert.equal(backend.private_endpoint, 'https://pets.internal.example.com:443', '3scale stores the port');

    const metricsOf = (type: string, id: number) => tenant.metrics.where((m) => m.owner_type === type && m.owner_id === id);
    const backendMetrics = metricsOf('BackendApi', backend.id);
    const strip = (name: string) => name.replace(`.${backend.id}`, '');
    assert.deepEqual(backendMetrics.map((m) => strip(m.system_name)).sort(), ['hits', 'list_pets', 'pets_listed']);
    const listPets = backendMetrics.find((m) => strip(m.system_name) === 'list_pets')!;
    assert.equal(listPets.parent_id, backendMetrics.find((m) => strip(m.system_name) === 'hits')!.id, 'methods are children of hits');
    const backendRule = tenant.mappingRules.find((r) => r.owner_type === 'BackendApi' && r.owner_id === backend.id)!;
    assert.deepEqual(
      [backendRule.http_method, backendRule.pattern, backendRule.metric_id, backendRule.last],
      ['GET', '/pets$', listPets.id, true],
    );

    const productRule = tenant.mappingRules.find((r) => r.owner_type === 'Service' && r.owner_id === service.id)!;
    assert.deepEqual([productRule.http_method, productRule.pattern, productRule.delta], ['POST', '/orders', 2]);
    assert.deepEqual(
      tenant.backendUsages.where((u) => u.service_id === service.id).map((u) => [u.backend_id, u.path]),
      [[backend.id, '/v1']],
    );
    const proxy = tenant.proxies.find((p) => p.service_id === service.id)!;
    assert.deepEqual(
      [proxy.endpoint, proxy.sandbox_endpoint, proxy.auth_user_key, proxy.credentials_location],
      ['https://pets.example.com:443', 'https://pets-staging.example.com:443', 'api_key', 'query'],
    );
    assert.equal(service.deployment_option, 'self_managed');
    assert.deepEqual(
      tenant.policyChains.find((c) => c.service_id === service.id)?.chain.map((p) => p.name),
      ['cors', 'apicast'],
    );

    const plan = tenant.plans.find((p) => p.service_id === service.id && p.system_name === 'basic')!;
    assert.equal(plan.state, 'published');
    const limits = tenant.limits
      .where((l) => l.plan_id === plan.id)
      .map((l) => `${l.period}:${l.value}:${l.metric_id}`)
      .sort();
    const hits = metricsOf('Service', service.id).find((m) => m.system_name === 'hits')!;
    assert.deepEqual(limits, [`day:5:${listPets.id}`, `minute:100:${hits.id}`].sort());
    const orders = metricsOf('Service', service.id).find((m) => m.system_name === 'orders')!;
    assert.deepEqual(
      tenant.pricingRules.where((p) => p.plan_id === plan.id).map((p) => [p.metric_id, p.min, p.max, p.cost_per_unit]),
      [[orders.id, 1, 100, 0.5]],
    );

    assert.ok(
      tenant.proxyConfigs.where((c) => c.service_id === service.id && c.environment === 'sandbox').length >= 1,
      'deployed to staging',
    );
    assert.equal(typeof productCr.status.latestStagingVersion, 'number');
    const events = await eventsOf(admin, namespace, 'pets-api');
    assert.ok(
      events.some((e) => e.reason === 'CreatedIn3scale' && e.message === 'created product pets_api'),
      JSON.stringify(events),
    );
    // One Event per write; past ten in one pass, the rest are listed in one more Event.
    assert.ok(
      events.some((e) => e.message.includes('deployed pets_api to staging')),
      JSON.stringify(events),
    );
  });

  it('a resync with nothing changed reads 3scale and writes nothing, to 3scale or to the CR', async () => {
    const { admin, namespace, fake } = suite;
    const before = await getCr(admin, 'Product', namespace, 'pets-api');
    const writes = fake.writes().length;
    const reads = fake.calls.filter((c) => c.method === 'GET' && c.path.startsWith('/admin/api/services/')).length;
    // THREESCALE_RESYNC_INTERVAL is 10s in this suite: wait for a full resync of both CRs.
    await eventually(
      'a resync read the product again',
      () => fake.calls.filter((c) => c.method === 'GET' && c.path.startsWith('/admin/api/services/')).length > reads + 5,
      25_000,
      500,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(
      fake
        .writes()
        .slice(writes)
        .map((c) => `${c.method} ${c.path}`),
      [],
    );
    assert.equal((await getCr(admin, 'Product', namespace, 'pets-api')).metadata.resourceVersion, before.metadata.resourceVersion);
  });

  it('puts back a change made in the admin UI at the next resync, and reports the drift', async () => {
    const { admin, namespace, fake, operator } = suite;
    const tenant = fake.tenant();
    const service = tenant.services.find((s) => s.system_name === 'pets_api')!;
    const rule = tenant.mappingRules.find((r) => r.owner_type === 'Service' && r.owner_id === service.id)!;
    fake.adminUi().updateMappingRule(rule.id, { delta: 7 });
    fake.adminUi().updateProxy(service.id, { auth_user_key: 'key' });
    await eventually(
      'the rule and the key name are back',
      () =>
        tenant.mappingRules.get(rule.id)?.delta === 2 &&
        tenant.proxies.find((p) => p.service_id === service.id)?.auth_user_key === 'api_key',
      25_000,
      500,
    );
    await eventually(
      'drift counted in status',
      async () => Number((await getCr(admin, 'Product', namespace, 'pets-api')).status?.driftCorrections ?? 0) >= 2,
      10_000,
      200,
    );
    const drift = (await eventsOf(admin, namespace, 'pets-api')).find((e) => e.reason === 'DriftCorrected');
    assert.ok(drift, 'a DriftCorrected event');
    assert.match(drift.message, /updated mapping rule POST \/orders \(delta\)/);
    assert.match(drift.message, /updated gateway settings of pets_api \(auth_user_key\)/);
    assert.ok(sumMetric(await operator!.metrics(), 'threescale_capabilities_drift_corrections_total', { kind: 'Product' }) >= 2);
    assert.ok(tenant.mappingRules.get(rule.id), 'updated in place, not re-created');
  });

  it('writes a spec change and deploys it to staging', async () => {
    const { admin, namespace, fake } = suite;
    const version = Number((await getCr(admin, 'Product', namespace, 'pets-api')).status?.latestStagingVersion);
    await editObject<KubeObject & { spec: typeof PRODUCT }>(admin, apiVersionOf('Product'), 'Product', namespace, 'pets-api', (p) => {
      p.spec.mappingRules = [
        { httpMethod: 'POST', pattern: '/orders', metricMethodRef: 'orders', increment: 3, last: false },
        { httpMethod: 'GET', pattern: '/orders/{id}', metricMethodRef: 'hits', increment: 1, last: false },
      ];
    });
    const product = await waitFor(admin, 'Product', namespace, 'pets-api');
    assert.ok(Number(product.status?.latestStagingVersion) > version, 'a new staging version');
    const service = fake.tenant().services.find((s) => s.system_name === 'pets_api')!;
    const rules = fake
      .tenant()
      .mappingRules.where((r) => r.owner_type === 'Service' && r.owner_id === service.id)
      .map((r) => `${r.http_method} ${r.pattern} ${r.delta}`)
      .sort();
    assert.deepEqual(rules, ['GET /orders/{id} 1', 'POST /orders 3']);
    assert.equal(Number(product.status?.driftCorrections ?? 0) >= 2, true, 'a spec change is not drift: the count did not reset');
  });

  it('deleting the CRs deletes what they created in 3scale, and only that', async () => {
    const { admin, namespace, fake } = suite;
    // A backend made outside the operator, then adopted by a CR naming its system name.
    const tenant = fake.tenant();
    const response = await fetch(`${fake.url}/admin/api/backend_apis.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        access_token: fake.accessToken,
        name: 'Legacy',
        system_name: 'legacy',
        private_endpoint: 'https://legacy.example.com',
      }),
    });
    assert.equal(response.status, 201);
    await admin.create(
      cr('Backend', namespace, 'legacy', { name: 'Legacy', systemName: 'legacy', privateBaseURL: 'https://legacy.example.com' }),
    );
    const adopted = await waitFor(admin, 'Backend', namespace, 'legacy');
    assert.equal(adopted.status?.created, false);

    await admin.delete(apiVersionOf('Product'), 'Product', namespace, 'pets-api');
    await eventually(
      'product gone from 3scale and the CR gone',
      async () =>
        !tenant.services.find((s) => s.system_name === 'pets_api') &&
        !(await getCr(admin, 'Product', namespace, 'pets-api').catch(() => undefined)),
      20_000,
      200,
    );
    await admin.delete(apiVersionOf('Backend'), 'Backend', namespace, 'pets-backend');
    await admin.delete(apiVersionOf('Backend'), 'Backend', namespace, 'legacy');
    await eventually(
      'both Backend CRs gone',
      async () =>
        !(await getCr(admin, 'Backend', namespace, 'pets-backend').catch(() => undefined)) &&
        !(await getCr(admin, 'Backend', namespace, 'legacy').catch(() => undefined)),
      20_000,
      200,
    );
    assert.equal(
      tenant.backends.find((b) => b.system_name === 'pets'),
      undefined,
      'the backend the CR created is deleted',
    );
    assert.ok(
      tenant.backends.find((b) => b.system_name === 'legacy'),
      'the adopted backend stays',
    );
    assert.ok(
      !fake.calls.some((c) => c.method === 'DELETE' && c.path === `/admin/api/backend_apis/${String(adopted.status?.backendId)}.json`),
    );
  });
});
