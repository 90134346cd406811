/**
 * Usage limits of a plan on a metric. The metric must be one the plan's
 * product can count on (its own metrics and methods, or those of a backend
 * it uses); any other metric id is 404, as porta's `all_metrics.find` answers.
 */
import { unwrap } from '../body.js';
import { defined, integer, oneOf, checked } from '../fields.js';
import { metricsUsableBy } from '../owners.js';
import { listOf, paginate } from '../paging.js';
import { created, deleted, FieldErrors, ok } from '../reply.js';
import { found, idParam, missing, type AdminContext, type Router } from '../router.js';
import type { LimitRow, MetricRow, Period, PlanRow } from '../state.js';
import { planOf } from './plans.js';

export const PERIODS: readonly Period[] = ['eternity', 'year', 'month', 'week', 'day', 'hour', 'minute'];

export function presentLimit(row: LimitRow) {
  return {
    id: row.id,
    period: row.period,
    value: row.value,
    metric_id: row.metric_id,
    plan_id: row.plan_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** A metric of the plan's product (or its backends), or 404. */
export function planMetric(context: AdminContext, plan: PlanRow): MetricRow {
  const metricId = idParam(context, 'metric_id');
  return found(metricsUsableBy(context.tenant, plan.service_id).find((m) => m.id === metricId));
}

function readLimit(context: AdminContext, creating: boolean): Partial<LimitRow> {
  const body = unwrap(context.body, 'usage_limit');
  const errors = new FieldErrors();
  const period = oneOf(body, 'period', PERIODS, errors);
  const value = integer(body, 'value', errors);
  if (creating && period === undefined && body.period === undefined) errors.add('period', "can't be blank");
  if (creating && value === undefined && body.value === undefined) errors.add('value', "can't be blank");
  if (value !== undefined && value < 0) errors.add('value', 'must be greater than or equal to 0');
  errors.throwIfAny();
  return defined({ period, value });
}

export function addLimitRoutes(router: Router<AdminContext>): void {
  const base = '/admin/api/application_plans/:plan_id/metrics/:metric_id/limits';
  const limitOf = (c: AdminContext) => {
    const plan = planOf(c);
    const metric = planMetric(c, plan);
    const limit = found(c.tenant.limits.get(idParam(c, 'limit_id')));
    return limit.plan_id === plan.id && limit.metric_id === metric.id ? limit : missing();
  };
  router
    .add('GET', '/admin/api/application_plans/:plan_id/limits.json', (c) => {
      const plan = planOf(c);
      return ok(
        listOf(
          'limits',
          'limit',
          paginate(
            c.tenant.limits.where((l) => l.plan_id === plan.id),
            c.query,
          ).map(presentLimit),
        ),
      );
    })
    .add('GET', `${base}.json`, (c) => {
      const plan = planOf(c);
      const metric = planMetric(c, plan);
      const rows = c.tenant.limits.where((l) => l.plan_id === plan.id && l.metric_id === metric.id);
      return ok(listOf('limits', 'limit', paginate(rows, c.query).map(presentLimit)));
    })
    .add('POST', `${base}.json`, (c) => {
      const plan = planOf(c);
      const metric = planMetric(c, plan);
      const fields = readLimit(c, true);
      // porta: one limit per period on a metric of a plan.
      if (c.tenant.limits.find((l) => l.plan_id === plan.id && l.metric_id === metric.id && l.period === fields.period)) {
        new FieldErrors().add('period', 'has already been taken').throwIfAny();
      }
      const row = c.tenant.limits.insert({
        plan_id: plan.id,
        metric_id: metric.id,
        period: checked(fields.period, 'period'),
        value: checked(fields.value, 'value'),
      });
      return created({ limit: presentLimit(row) });
    })
    .add('GET', `${base}/:limit_id.json`, (c) => ok({ limit: presentLimit(limitOf(c)) }))
    .add('PUT', `${base}/:limit_id.json`, (c) => {
      const limit = limitOf(c);
      return ok({ limit: presentLimit(c.tenant.limits.update(limit.id, readLimit(c, false))) });
    })
    .add('DELETE', `${base}/:limit_id.json`, (c) => {
      c.tenant.limits.delete(limitOf(c).id);
      return deleted();
    });
}
