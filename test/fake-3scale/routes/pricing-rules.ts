/**
 * Pricing rules of a plan on a metric (same metric rule as limits): `min`
 * from 1, `max` empty for "and above", cost_per_unit required; ranges of
 * one metric in one plan must not overlap (422). cost_per_unit is shown
 * as a string, as porta's BigDecimal is.
 */
import { unwrap } from '../body.js';
import { decimal, integer, checked } from '../fields.js';
import { listOf, paginate } from '../paging.js';
import { created, deleted, FieldErrors, ok } from '../reply.js';
import { found, idParam, missing, type AdminContext, type Router } from '../router.js';
import type { PricingRuleRow } from '../state.js';
import { planMetric } from './limits.js';
import { planOf } from './plans.js';

export function presentPricingRule(row: PricingRuleRow) {
  return {
    id: row.id,
    metric_id: row.metric_id,
    cost_per_unit: decimalString(row.cost_per_unit),
    min: row.min,
    max: row.max,
    plan_id: row.plan_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** porta renders the BigDecimal cost as a JSON string ("0.5"), which is what its Go client reads. */
const decimalString = (value: number): string => String(value);

const overlaps = (a: { min: number; max: number | null }, b: { min: number; max: number | null }) =>
  a.min <= (b.max ?? Infinity) && b.min <= (a.max ?? Infinity);

export function addPricingRuleRoutes(router: Router<AdminContext>): void {
  const base = '/admin/api/application_plans/:plan_id/metrics/:metric_id/pricing_rules';
  router
    .add('GET', '/admin/api/application_plans/:plan_id/pricing_rules.json', (c) => {
      const plan = planOf(c);
      const rows = c.tenant.pricingRules.where((r) => r.plan_id === plan.id);
      return ok(listOf('pricing_rules', 'pricing_rule', paginate(rows, c.query).map(presentPricingRule)));
    })
    .add('GET', `${base}.json`, (c) => {
      const plan = planOf(c);
      const metric = planMetric(c, plan);
      const rows = c.tenant.pricingRules.where((r) => r.plan_id === plan.id && r.metric_id === metric.id);
      return ok(listOf('pricing_rules', 'pricing_rule', paginate(rows, c.query).map(presentPricingRule)));
    })
    .add('POST', `${base}.json`, (c) => {
      const plan = planOf(c);
      const metric = planMetric(c, plan);
      const body = unwrap(c.body, 'pricing_rule');
      const errors = new FieldErrors();
      const min = integer(body, 'min', errors) ?? 1;
      const max = integer(body, 'max', errors) ?? null;
      const cost = decimal(body, 'cost_per_unit', errors);
      if (cost === undefined && (body.cost_per_unit === undefined || body.cost_per_unit === ''))
        errors.add('cost_per_unit', "can't be blank");
      if (min < 1) errors.add('min', 'must be greater than 0');
      if (max !== null && max < min) errors.add('max', 'must be greater than min');
      const range = { min, max };
      if (c.tenant.pricingRules.find((r) => r.plan_id === plan.id && r.metric_id === metric.id && overlaps(r, range))) {
        errors.add('base', 'Pricing rules of a metric cannot overlap');
      }
      errors.throwIfAny();
      const row = c.tenant.pricingRules.insert({ plan_id: plan.id, metric_id: metric.id, min, max, cost_per_unit: checked(cost, 'cost') });
      return created({ pricing_rule: presentPricingRule(row) });
    })
    .add('DELETE', `${base}/:rule_id.json`, (c) => {
      const plan = planOf(c);
      const metric = planMetric(c, plan);
      const rule = found(c.tenant.pricingRules.get(idParam(c, 'rule_id')));
      if (rule.plan_id !== plan.id || rule.metric_id !== metric.id) missing();
      c.tenant.pricingRules.delete(rule.id);
      return deleted();
    });
}
