// Application plans with their limits and pricing rules. Plans are keyed by system_name; a limit by metric and
// period; a pricing rule by metric and range. Plans the CR does not list are left alone (they may have
// subscribers); limits and pricing rules of a listed plan follow the CR exactly.
import type { ApplicationPlanSpec } from '../api/kinds.js';
import type { ThreescaleClient } from '../threescale/client.js';
import { paths } from '../threescale/paths.js';
import type { ApplicationPlan, Limit, PricingRule } from '../threescale/types.js';
import { planCollection, type DesiredItem } from '../sync/collection.js';
import { applyPlan } from '../sync/apply-plan.js';
import type { WriteLog } from '../sync/writes.js';

/** Resolves a metricMethodRef (product metric, or a backend's) to its 3scale id. */
export type MetricResolver = (ref: { systemName: string; backend?: string }) => number | undefined;

/** The plans a Product declares, as 3scale items (state is a separate event: publish / hide). Pure. */
export function desiredPlans(plans: Record<string, ApplicationPlanSpec>): DesiredItem[] {
  return Object.entries(plans).map(([systemName, plan]) => ({
    key: systemName,
    fields: {
      name: plan.name,
      approval_required: plan.appsRequireApproval,
      trial_period_days: plan.trialPeriod,
      setup_fee: plan.setupFee,
      cost_per_month: plan.costMonth,
    },
    createOnly: { system_name: systemName },
  }));
}

/** A plan's limits on one metric, keyed "<metric id>/<period>". Pure. */
export function desiredLimits(plan: ApplicationPlanSpec, metric: number, resolve: MetricResolver): DesiredItem[] {
  return (plan.limits ?? [])
    .filter((l) => resolve(l.metricMethodRef) === metric)
    .map((l) => ({ key: `${metric}/${l.period}`, fields: { value: l.value }, createOnly: { period: l.period } }));
}

/** A plan's pricing rules on one metric, keyed "<metric id>/<from>-<to>". Pure. */
export function desiredPricingRules(plan: ApplicationPlanSpec, metric: number, resolve: MetricResolver): DesiredItem[] {
  return (plan.pricingRules ?? [])
    .filter((p) => resolve(p.metricMethodRef) === metric)
    .map((p) => ({
      key: `${metric}/${p.from}-${p.to}`,
      fields: { cost_per_unit: p.pricePerUnit },
      createOnly: { min: p.from, max: p.to },
    }));
}

export async function syncPlans(
  client: ThreescaleClient,
  serviceId: number,
  plans: Record<string, ApplicationPlanSpec>,
  resolve: MetricResolver,
  log: WriteLog,
): Promise<Map<string, number>> {
  const existing = await client.list<ApplicationPlan>(paths.plans(serviceId), 'plans', 'application_plan');
  const wanted = desiredPlans(plans);
  const items = existing.map((p) => ({ id: p.id, key: p.system_name, values: p }));
  const listed = new Set(Object.keys(plans));
  const created = await applyPlan(
    client,
    { collection: paths.plans(serviceId), item: paths.plan(serviceId), itemKey: 'application_plan', noun: 'application plan' },
    planCollection(wanted, items, (p) => !listed.has(p.key)),
    log,
  );
  const ids = new Map([...items.map((p) => [p.key, p.id] as const), ...created]);

  for (const [systemName, plan] of Object.entries(plans)) {
    const id = ids.get(systemName);
    if (id === undefined) continue;
    const current = existing.find((p) => p.id === id);
    const state = current?.state ?? 'hidden';
    if (plan.published !== undefined && (state === 'published') !== plan.published) {
      await client.update(paths.plan(serviceId)(id), 'application_plan', { state_event: plan.published ? 'publish' : 'hide' });
      log.add({ verb: 'updated', what: `application plan ${systemName}`, fields: ['state'] });
    }
    await syncLimits(client, id, systemName, plan, resolve, log);
    await syncPricingRules(client, id, systemName, plan, resolve, log);
  }
  return ids;
}

async function syncLimits(
  client: ThreescaleClient,
  planId: number,
  planName: string,
  plan: ApplicationPlanSpec,
  resolve: MetricResolver,
  log: WriteLog,
): Promise<void> {
  const existing = await client.list<Limit>(paths.planLimits(planId), 'limits', 'limit');
  const wanted = (plan.limits ?? []).map((l) => resolve(l.metricMethodRef)).filter((m): m is number => m !== undefined);
  // Limits live under their metric's path: group the plan per metric so each write goes to the right one.
  const metrics = new Set([...wanted, ...existing.map((l) => l.metric_id)]);
  for (const metric of metrics) {
    const desired = desiredLimits(plan, metric, resolve);
    const items = existing.filter((l) => l.metric_id === metric).map((l) => ({ id: l.id, key: `${metric}/${l.period}`, values: l }));
    await applyPlan(
      client,
      {
        collection: paths.metricLimits(planId, metric),
        item: paths.metricLimit(planId, metric),
        itemKey: 'limit',
        noun: `limit of plan ${planName}`,
      },
      planCollection(desired, items),
      log,
    );
  }
}

async function syncPricingRules(
  client: ThreescaleClient,
  planId: number,
  planName: string,
  plan: ApplicationPlanSpec,
  resolve: MetricResolver,
  log: WriteLog,
): Promise<void> {
  const existing = await client.list<PricingRule>(paths.planPricingRules(planId), 'pricing_rules', 'pricing_rule');
  const wanted = (plan.pricingRules ?? []).map((p) => resolve(p.metricMethodRef)).filter((m): m is number => m !== undefined);
  const metrics = new Set([...wanted, ...existing.map((p) => p.metric_id)]);
  for (const metric of metrics) {
    const desired = desiredPricingRules(plan, metric, resolve);
    const items = existing.filter((p) => p.metric_id === metric).map((p) => ({ id: p.id, key: `${metric}/${p.min}-${p.max}`, values: p }));
    // 3scale has no update for pricing rules: a changed price is a delete and a create.
    const change = planCollection(desired, items);
    for (const u of change.update) {
      change.remove.push({ id: u.id, key: u.key });
      const d = desired.find((x) => x.key === u.key);
      if (d) change.create.push(d);
    }
    change.update = [];
    // Removals first: 3scale refuses a range that overlaps one still there.
    const target = {
      collection: paths.metricPricingRules(planId, metric),
      item: paths.metricPricingRule(planId, metric),
      itemKey: 'pricing_rule',
      noun: `pricing rule of plan ${planName}`,
    };
    await applyPlan(client, target, { create: [], update: [], remove: change.remove }, log);
    await applyPlan(client, target, { create: change.create, update: [], remove: [] }, log);
  }
}
