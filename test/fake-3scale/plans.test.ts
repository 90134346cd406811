/** Application plans, their limits and pricing rules, and which metrics a plan may limit. */
import assert from 'node:assert/strict';
import { startFake3scale, type Fake3scale } from './server.js';
import { productWithBackend, TestApi } from './test-client.js';

describe('fake 3scale: application plans, limits, pricing rules', () => {
  let fake: Fake3scale;
  let api: TestApi;
  beforeEach(async () => {
    fake = await startFake3scale();
    api = new TestApi(fake.url, fake.accessToken);
  });
  afterEach(() => fake.close());

  it('creates hidden plans unless published, publishes and hides by state_event, unique system_name per product', async () => {
    const service = (await api.post('/admin/api/services.json', { name: 'PP' })).json.service;
    const base = `/admin/api/services/${service.id}/application_plans`;
    const plan = await api.post(`${base}.json`, { name: 'Gold Plan', cost_per_month: '9.5', approval_required: 'true' });
    assert.equal(plan.status, 201);
    assert.deepEqual(
      [
        plan.json.application_plan.system_name,
        plan.json.application_plan.state,
        plan.json.application_plan.cost_per_month,
        plan.json.application_plan.approval_required,
      ],
      ['gold_plan', 'hidden', 9.5, true],
    );
    const id = plan.json.application_plan.id;
    assert.equal((await api.put(`${base}/${id}.json`, { state_event: 'publish' })).json.application_plan.state, 'published');
    assert.equal((await api.put(`${base}/${id}.json`, { state_event: 'hide' })).json.application_plan.state, 'hidden');
    assert.deepEqual((await api.post(`${base}.json`, { name: 'x', system_name: 'gold_plan' })).json, {
      errors: { system_name: ['has already been taken'] },
    });
    const other = (await api.post('/admin/api/services.json', { name: 'QQ' })).json.service;
    assert.equal(
      (await api.post(`/admin/api/services/${other.id}/application_plans.json`, { name: 'Gold Plan' })).status,
      201,
      'another product may reuse it',
    );
    assert.equal(
      (await api.get(`/admin/api/services/${other.id}/application_plans/${id}.json`)).status,
      404,
      'a plan is only found under its product',
    );
    assert.equal((await api.put(`${base}/${id}/default.json`)).json.application_plan.default, true);
  });

  it('limits a product metric or a metric of a backend it uses; any other metric is 404', async () => {
    const { planId, backendHitsId, serviceId } = await productWithBackend(api, 'http://u');
    const stranger = (await api.post('/admin/api/backend_apis.json', { name: 'Unused', private_endpoint: 'http://x' })).json.backend_api;
    const strangerHits = fake.tenant().metrics.find((m) => m.owner_type === 'BackendApi' && m.owner_id === stranger.id)!.id;
    const productHits = fake.tenant().metrics.find((m) => m.owner_type === 'Service' && m.owner_id === serviceId)!.id;
    const limits = (metric: number) => `/admin/api/application_plans/${planId}/metrics/${metric}/limits`;
    const onBackend = await api.post(`${limits(backendHitsId)}.json`, { period: 'minute', value: 5 });
    assert.equal(onBackend.status, 201);
    assert.deepEqual(
      [onBackend.json.limit.period, onBackend.json.limit.value, onBackend.json.limit.metric_id, onBackend.json.limit.plan_id],
      ['minute', 5, backendHitsId, planId],
    );
    assert.equal((await api.post(`${limits(productHits)}.json`, { period: 'day', value: 100 })).status, 201);
    const foreign = await api.post(`${limits(strangerHits)}.json`, { period: 'minute', value: 5 });
    assert.deepEqual([foreign.status, foreign.json], [404, { status: 'Not found' }]);
    assert.deepEqual((await api.post(`${limits(backendHitsId)}.json`, { period: 'fortnight', value: 1 })).json.errors, {
      period: ['is not included in the list'],
    });
    assert.deepEqual((await api.post(`${limits(backendHitsId)}.json`, { period: 'minute', value: 9 })).json.errors, {
      period: ['has already been taken'],
    });
    const changed = await api.put(`${limits(backendHitsId)}/${onBackend.json.limit.id}.json`, { value: 50 });
    assert.equal(changed.json.limit.value, 50);
    assert.equal((await api.get(`/admin/api/application_plans/${planId}/limits.json`)).json.limits.length, 2);
    assert.equal((await api.delete(`${limits(backendHitsId)}/${onBackend.json.limit.id}.json`)).status, 200);
    assert.equal(fake.tenant().limits.size, 1);
  });

  it('pricing rules: cost required, ranges of a metric must not overlap, delete', async () => {
    const { planId, backendHitsId } = await productWithBackend(api, 'http://u');
    const base = `/admin/api/application_plans/${planId}/metrics/${backendHitsId}/pricing_rules`;
    const first = await api.post(`${base}.json`, { min: 1, max: 100, cost_per_unit: '0.5' });
    assert.equal(first.status, 201);
    assert.deepEqual([first.json.pricing_rule.min, first.json.pricing_rule.max, first.json.pricing_rule.cost_per_unit], [1, 100, '0.5']);
    assert.equal((await api.post(`${base}.json`, { min: 50, max: 200, cost_per_unit: 1 })).status, 422);
    assert.deepEqual((await api.post(`${base}.json`, { min: 101 })).json.errors, { cost_per_unit: ["can't be blank"] });
    assert.equal((await api.post(`${base}.json`, { min: 101, cost_per_unit: 0.1 })).json.pricing_rule.max, null);
    assert.equal((await api.get(`/admin/api/application_plans/${planId}/pricing_rules.json`)).json.pricing_rules.length, 2);
    assert.equal((await api.delete(`${base}/${first.json.pricing_rule.id}.json`)).status, 200);
    assert.equal(fake.tenant().pricingRules.size, 1);
  });

  it('refuses to delete a plan that has applications (422)', async () => {
    const { planId, serviceId } = await productWithBackend(api, 'http://u');
    const account = (await api.post('/admin/api/signup.json', { org_name: 'Dev', username: 'dev', email: 'd@example.com' })).json.account;
    const app = (await api.post(`/admin/api/accounts/${account.id}/applications.json`, { plan_id: planId, name: 'AA' })).json.application;
    const path = `/admin/api/services/${serviceId}/application_plans/${planId}.json`;
    assert.equal((await api.delete(path)).status, 422);
    await api.delete(`/admin/api/accounts/${account.id}/applications/${app.id}.json`);
    assert.equal((await api.delete(path)).status, 200);
  });
});
