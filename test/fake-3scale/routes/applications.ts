/**
 * Applications of a developer account on a plan. The credentials follow the
 * product's backend_version, as porta's do: '1' a user_key (given or 32 hex
 * characters made up, unique in the product), '2' and 'oidc' an
 * application_id (given or 8 hex) and, for '2', one application key when
 * none is given; an update may set a user_key. A plan with approval_required makes them pending.
 */
import { randomBytes } from 'node:crypto';
import { unwrap } from '../body.js';
import { defined, integer, text, checked } from '../fields.js';
import { listOf, paginate } from '../paging.js';
import { deleted, FieldErrors, ok } from '../reply.js';
import { found, idParam, missing, type AdminContext, type Router } from '../router.js';
import type { ApplicationRow, PlanRow, Tenant } from '../state.js';

/** An application as porta shows it: `user_key` for a backend_version 1 product, `application_id` and `keys` otherwise. */
export interface ApplicationJson {
  id: number;
  state: ApplicationRow['state'];
  enabled: boolean;
  end_user_required: boolean;
  service_id: number;
  plan_id: number;
  account_id: number;
  name: string;
  description: string;
  user_key?: ApplicationRow['user_key'];
  application_id?: ApplicationRow['application_id'];
  keys?: ApplicationRow['keys'];
  first_traffic_at: null;
  created_at: string;
  updated_at: string;
}

export function presentApplication(tenant: Tenant, row: ApplicationRow): ApplicationJson {
  const version = tenant.services.get(row.service_id)?.backend_version ?? '1';
  return {
    id: row.id,
    state: row.state,
    enabled: row.state === 'live',
    end_user_required: false,
    service_id: row.service_id,
    plan_id: row.plan_id,
    account_id: row.account_id,
    name: row.name,
    description: row.description,
    ...(version === '1' ? { user_key: row.user_key } : { application_id: row.application_id, keys: row.keys }),
    first_traffic_at: null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function credentials(
  tenant: Tenant,
  plan: PlanRow,
  body: Record<string, unknown>,
  errors: FieldErrors,
): Pick<ApplicationRow, 'user_key' | 'application_id' | 'keys'> {
  const version = found(tenant.services.get(plan.service_id)).backend_version;
  const inService = (a: ApplicationRow) => a.service_id === plan.service_id;
  if (version === '1') {
    const userKey = text(body, 'user_key') || randomBytes(16).toString('hex');
    if (tenant.applications.find((a) => inService(a) && a.user_key === userKey)) errors.add('user_key', 'has already been taken');
    return { user_key: userKey, application_id: null, keys: [] };
  }
  const applicationId = text(body, 'application_id') || randomBytes(4).toString('hex');
  if (tenant.applications.find((a) => inService(a) && a.application_id === applicationId))
    errors.add('application_id', 'has already been taken');
  const key = text(body, 'application_key');
  const keys = key ? [key] : version === '2' ? [randomBytes(16).toString('hex')] : [];
  return { user_key: null, application_id: applicationId, keys };
}

export function applicationOf(context: AdminContext): ApplicationRow {
  const account = found(context.tenant.accounts.get(idParam(context, 'account_id')));
  const application = found(context.tenant.applications.get(idParam(context, 'application_id')));
  return application.account_id === account.id ? application : missing();
}

function createApplication(context: AdminContext): ApplicationRow {
  const { tenant } = context;
  const account = found(tenant.accounts.get(idParam(context, 'account_id')));
  const body = unwrap(context.body, 'application');
  const errors = new FieldErrors();
  const planId = integer(body, 'plan_id', errors);
  errors.throwIfAny();
  const plan = found(planId === undefined ? undefined : tenant.plans.get(planId));
  const name = text(body, 'name');
  if (!name) errors.add('name', "can't be blank");
  const creds = credentials(tenant, plan, body, errors);
  errors.throwIfAny();
  return tenant.applications.insert({
    account_id: account.id,
    service_id: plan.service_id,
    plan_id: plan.id,
    name: checked(name, 'name'),
    description: text(body, 'description') ?? '',
    state: plan.approval_required ? 'pending' : 'live',
    ...creds,
  });
}

export function addApplicationRoutes(router: Router<AdminContext>): void {
  const base = '/admin/api/accounts/:account_id/applications';
  const reply = (c: AdminContext, row: ApplicationRow) => ok({ application: presentApplication(c.tenant, row) });
  const setState = (state: ApplicationRow['state']) => (c: AdminContext) =>
    reply(c, c.tenant.applications.update(applicationOf(c).id, { state }));
  router
    .add('GET', '/admin/api/applications.json', (c) => {
      const serviceId = c.query.get('service_id');
      const planId = c.query.get('plan_id');
      const rows = c.tenant.applications.where(
        (a) => (serviceId === null || String(a.service_id) === serviceId) && (planId === null || String(a.plan_id) === planId),
      );
      return ok(
        listOf(
          'applications',
          'application',
          paginate(rows, c.query).map((a) => presentApplication(c.tenant, a)),
        ),
      );
    })
    .add('GET', '/admin/api/applications/find.json', (c) => {
      const q = c.query;
      const row = c.tenant.applications.find(
        (a) =>
          (q.get('application_id') !== null && String(a.id) === q.get('application_id')) ||
          (q.get('user_key') !== null && a.user_key === q.get('user_key')) ||
          (q.get('app_id') !== null && a.application_id === q.get('app_id')),
      );
      return reply(c, found(row));
    })
    .add('GET', `${base}.json`, (c) => {
      const account = found(c.tenant.accounts.get(idParam(c, 'account_id')));
      const rows = c.tenant.applications.where((a) => a.account_id === account.id);
      return ok(
        listOf(
          'applications',
          'application',
          paginate(rows, c.query).map((a) => presentApplication(c.tenant, a)),
        ),
      );
    })
    .add('POST', `${base}.json`, (c) => ({ status: 201, body: { application: presentApplication(c.tenant, createApplication(c)) } }))
    .add('GET', `${base}/:application_id.json`, (c) => reply(c, applicationOf(c)))
    .add('PUT', `${base}/:application_id.json`, (c) => {
      const application = applicationOf(c);
      const body = unwrap(c.body, 'application');
      const errors = new FieldErrors();
      const fields = defined({ name: text(body, 'name'), description: text(body, 'description'), user_key: text(body, 'user_key') });
      if (fields.name === '') errors.add('name', "can't be blank");
      // porta lets the provider set a user-key application's key; it stays unique in the product.
      if (fields.user_key !== undefined) {
        if (application.user_key === null) errors.add('user_key', 'is not used by this product');
        else if (!/^[\w-]+$/.test(fields.user_key)) errors.add('user_key', 'is invalid');
        else if (
          c.tenant.applications.find(
            (a) => a.id !== application.id && a.service_id === application.service_id && a.user_key === fields.user_key,
          )
        )
          errors.add('user_key', 'has already been taken');
      }
      errors.throwIfAny();
      return reply(c, c.tenant.applications.update(application.id, fields));
    })
    .add('DELETE', `${base}/:application_id.json`, (c) => {
      c.tenant.applications.delete(applicationOf(c).id);
      return deleted();
    })
    .add('PUT', `${base}/:application_id/suspend.json`, setState('suspended'))
    .add('PUT', `${base}/:application_id/resume.json`, setState('live'))
    .add('PUT', `${base}/:application_id/accept.json`, setState('live'))
    .add('PUT', `${base}/:application_id/change_plan.json`, (c) => {
      const application = applicationOf(c);
      const errors = new FieldErrors();
      const planId = integer(unwrap(c.body, 'application'), 'plan_id', errors);
      errors.throwIfAny();
      // Only a plan of the same product: porta looks it up among the service's plans.
      const plan = found(c.tenant.plans.find((p) => p.id === planId && p.service_id === application.service_id));
      return reply(c, c.tenant.applications.update(application.id, { plan_id: plan.id }));
    });
}
