import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { desiredMethods, desiredMetrics, desiredRules, validateMetrics } from './metrics.js';
import { desiredLimits, desiredPlans, desiredPricingRules } from '../product/plans.js';

describe('capabilities: what a Backend or Product CR asks of 3scale (pure builders)', () => {
  const spec = {
    metrics: { pets: { friendlyName: 'Pets', unit: 'pet' } },
    methods: { list: { friendlyName: 'List', description: 'GET /pets' } },
    mappingRules: [{ httpMethod: 'GET' as const, pattern: '/pets', metricMethodRef: 'list', increment: 2, last: true }],
  };

  it('metrics and methods keyed by system name, which is sent on create only', () => {
    assert.deepEqual(desiredMetrics(spec), [
      { key: 'pets', fields: { friendly_name: 'Pets', unit: 'pet', description: undefined }, createOnly: { system_name: 'pets' } },
    ]);
    assert.deepEqual(desiredMethods(spec), [
      { key: 'list', fields: { friendly_name: 'List', description: 'GET /pets' }, createOnly: { system_name: 'list' } },
    ]);
  });

  it('mapping rules keyed by method and pattern, with the metric resolved to its id', () => {
    assert.deepEqual(desiredRules(spec.mappingRules, new Map([['list', 42]])), [
      { key: 'GET /pets', fields: { metric_id: 42, delta: 2, last: true }, createOnly: { http_method: 'GET', pattern: '/pets' } },
    ]);
  });

  it('a name that is both a metric and a method, or a duplicate rule, is refused', () => {
    const problems = validateMetrics({
      metrics: { x: { friendlyName: 'X', unit: 'u' } },
      methods: { x: { friendlyName: 'X' } },
      mappingRules: [spec.mappingRules[0], spec.mappingRules[0]].map((r) => ({ ...r, metricMethodRef: 'x' })),
    });
    assert.deepEqual(
      problems.map((p) => p.path),
      ['spec.methods.x', 'spec.mappingRules[1]'],
    );
  });

  it('plans, limits and pricing rules: keyed so that a changed value is an update of the same item', () => {
    const plan = {
      name: 'Basic',
      published: true,
      costMonth: '10',
      limits: [
        { period: 'day' as const, value: 5, metricMethodRef: { systemName: 'hits' } },
        { period: 'day' as const, value: 9, metricMethodRef: { systemName: 'pets' } },
      ],
      pricingRules: [{ from: 1, to: 10, pricePerUnit: '0.5', metricMethodRef: { systemName: 'hits' } }],
    };
    assert.deepEqual(desiredPlans({ basic: plan })[0], {
      key: 'basic',
      fields: { name: 'Basic', approval_required: undefined, trial_period_days: undefined, setup_fee: undefined, cost_per_month: '10' },
      createOnly: { system_name: 'basic' },
    });
    const resolve = (ref: { systemName: string }) => (({ hits: 1, pets: 2 }) as Record<string, number>)[ref.systemName];
    assert.deepEqual(desiredLimits(plan, 1, resolve), [{ key: '1/day', fields: { value: 5 }, createOnly: { period: 'day' } }]);
    assert.deepEqual(
      desiredLimits(plan, 2, resolve).map((l) => l.key),
      ['2/day'],
    );
    assert.deepEqual(desiredPricingRules(plan, 1, resolve), [
      { key: '1/1-10', fields: { cost_per_unit: '0.5' }, createOnly: { min: 1, max: 10 } },
    ]);
  });
});
