/**
 * Application plans of a product: name required, system_name derived and
 * unique within the product, `state_event` publish|hide moves the state
 * (new plans are hidden). A plan with applications cannot be deleted (422).
 */
import { unwrap, type Fields } from '../body.js';
import { deletePlan } from '../cascade.js';
import { decimal, defined, flag, integer, oneOf, systemNameOf, text, checkSystemName, checked } from '../fields.js';
import { listOf, paginate } from '../paging.js';
import { created, deleted, FieldErrors, invalid, ok } from '../reply.js';
import { found, idParam, missing, type AdminContext, type Router } from '../router.js';
import type { PlanRow, Tenant } from '../state.js';

export function presentPlan(row: PlanRow) {
  return {
    id: row.id,
    name: row.name,
    system_name: row.system_name,
    state: row.state,
    approval_required: row.approval_required,
    trial_period_days: row.trial_period_days,
    setup_fee: row.setup_fee,
    cost_per_month: row.cost_per_month,
    service_id: row.service_id,
    default: row.default,
    custom: false,
    cancellation_period: 0,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function readPlan(tenant: Tenant, serviceId: number, body: Fields, existing: PlanRow | undefined): Partial<PlanRow> {
  const errors = new FieldErrors();
  const name = text(body, 'name');
  if (existing === undefined ? !name : name === '') errors.add('name', "can't be blank");
  let systemName: string | undefined;
  if (existing === undefined) {
    systemName = text(body, 'system_name') || systemNameOf(name ?? '');
    checkSystemName(errors, systemName);
    if (systemName && tenant.plans.find((p) => p.service_id === serviceId && p.system_name === systemName))
      errors.add('system_name', 'has already been taken');
  }
  const event = oneOf(body, 'state_event', ['publish', 'hide'], errors);
  const trial = integer(body, 'trial_period_days', errors);
  if (trial !== undefined && trial < 0) errors.add('trial_period_days', 'must be greater than or equal to 0');
  const fields = defined({
    name,
    system_name: systemName,
    approval_required: flag(body, 'approval_required', errors),
    trial_period_days: trial,
    setup_fee: decimal(body, 'setup_fee', errors),
    cost_per_month: decimal(body, 'cost_per_month', errors),
    state: event === undefined ? undefined : event === 'publish' ? ('published' as const) : ('hidden' as const),
  });
  errors.throwIfAny();
  return fields;
}

export function planOf(context: AdminContext, param = 'plan_id'): PlanRow {
  return found(context.tenant.plans.get(idParam(context, param)));
}

export function addPlanRoutes(router: Router<AdminContext>): void {
  const base = '/admin/api/services/:service_id/application_plans';
  const serviceOf = (c: AdminContext) => found(c.tenant.services.get(idParam(c, 'service_id')));
  const ofService = (c: AdminContext) => {
    const service = serviceOf(c);
    const plan = planOf(c);
    return plan.service_id === service.id ? plan : missing();
  };
  router
    .add('GET', `${base}.json`, (c) => {
      const service = serviceOf(c);
      const rows = c.tenant.plans.where((p) => p.service_id === service.id);
      return ok(listOf('plans', 'application_plan', paginate(rows, c.query).map(presentPlan)));
    })
    .add('POST', `${base}.json`, (c) => {
      const service = serviceOf(c);
      const fields = readPlan(c.tenant, service.id, unwrap(c.body, 'application_plan'), undefined);
      const row = c.tenant.plans.insert({
        service_id: service.id,
        name: checked(fields.name, 'name'),
        system_name: checked(fields.system_name, 'system_name'),
        state: fields.state ?? 'hidden',
        approval_required: fields.approval_required ?? false,
        trial_period_days: fields.trial_period_days ?? null,
        setup_fee: fields.setup_fee ?? 0,
        cost_per_month: fields.cost_per_month ?? 0,
        default: false,
      });
      return created({ application_plan: presentPlan(row) });
    })
    .add('GET', `${base}/:plan_id.json`, (c) => ok({ application_plan: presentPlan(ofService(c)) }))
    .add('PUT', `${base}/:plan_id.json`, (c) => {
      const plan = ofService(c);
      const fields = readPlan(c.tenant, plan.service_id, unwrap(c.body, 'application_plan'), plan);
      return ok({ application_plan: presentPlan(c.tenant.plans.update(plan.id, fields)) });
    })
    .add('PUT', `${base}/:plan_id/default.json`, (c) => {
      const plan = ofService(c);
      for (const other of c.tenant.plans.where((p) => p.service_id === plan.service_id && p.default))
        c.tenant.plans.update(other.id, { default: false });
      return ok({ application_plan: presentPlan(c.tenant.plans.update(plan.id, { default: true })) });
    })
    .add('DELETE', `${base}/:plan_id.json`, (c) => {
      const plan = ofService(c);
      if (c.tenant.applications.find((a) => a.plan_id === plan.id)) {
        throw invalid({ base: ['This plan cannot be deleted because it has applications'] });
      }
      deletePlan(c.tenant, plan.id);
      return deleted();
    });
}
