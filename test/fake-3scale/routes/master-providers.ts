/**
 * The Master API's tenants (providers), with the master token: signup makes
 * a tenant with its own access token (which the fake then routes to that
 * tenant's state), a pending admin user and an `admin_base_url` that is the
 * fake itself. DELETE only schedules deletion, as porta does, but the
 * tenant's token stops working at once. The master token also reaches the
 * master account's admin API for the tenants' admin users (below).
 */
import { randomBytes } from 'node:crypto';
import { unwrap } from '../body.js';
import { defined, text } from '../fields.js';
import { created, FieldErrors, ok } from '../reply.js';
import { found, idParam, missing, type RequestContext, type Router } from '../router.js';
import { subdomainOf, type ProviderAccountRow } from '../state.js';

export function presentProvider(row: ProviderAccountRow, url: string) {
  return {
    id: row.id,
    org_name: row.org_name,
    state: row.state,
    admin_domain: row.admin_domain,
    domain: row.domain,
    admin_base_url: url,
    base_url: url,
    created_at: row.created_at,
    updated_at: row.updated_at,
    users: { user: [presentAdminUser(row)] },
  };
}

function signup(context: RequestContext) {
  const body = unwrap(context.body, 'account');
  const errors = new FieldErrors();
  const fields = { org_name: text(body, 'org_name'), username: text(body, 'username'), email: text(body, 'email') };
  for (const [key, value] of Object.entries(fields)) if (!value) errors.add(key, "can't be blank");
  if (!text(body, 'password')) errors.add('password', "can't be blank");
  const orgName = fields.org_name;
  if (orgName && context.state.providers.find((p) => p.domain.startsWith(`${subdomainOf(orgName)}.`))) {
    errors.add('subdomain', 'has already been taken');
  }
  errors.throwIfAny();
  const token = randomBytes(32).toString('hex');
  const tenant = context.state.addTenant(fields as { org_name: string; username: string; email: string }, token);
  return {
    signup: {
      account: presentProvider(tenant.provider, context.settings.url),
      access_token: { id: tenant.id, name: 'Administration', scopes: ['account_management'], permission: 'rw', value: token },
    },
  };
}

export function addMasterRoutes(router: Router<RequestContext>): void {
  const providerOf = (c: RequestContext) => found(c.state.providers.get(idParam(c, 'provider_id')));
  router
    .add('POST', '/master/api/providers.json', (c) => created(signup(c)))
    .add('GET', '/master/api/providers/:provider_id.json', (c) => ok({ account: presentProvider(providerOf(c), c.settings.url) }))
    .add('PUT', '/master/api/providers/:provider_id.json', (c) => {
      const provider = providerOf(c);
      const body = unwrap(c.body, 'account');
      const fields = defined({ org_name: text(body, 'org_name'), email: text(body, 'email') });
      return ok({ account: presentProvider(c.state.providers.update(provider.id, fields), c.settings.url) });
    })
    .add('DELETE', '/master/api/providers/:provider_id.json', (c) => {
      c.state.scheduleDeletion(providerOf(c).id);
      return { status: 200 };
    });
}

function presentAdminUser(row: ProviderAccountRow) {
  return {
    id: row.admin_user_id,
    state: row.admin_user_state,
    role: 'admin',
    username: row.username,
    email: row.email,
    account_id: row.id,
  };
}

/**
 * The master account's own admin API, where tenants are its accounts: the
 * 3scale-operator's Tenant reconciler reads and activates the tenant's admin
 * user there, with the master token (porta-go-client ActivateUser/ReadUser).
 */
export function addMasterAccountUserRoutes(router: Router<RequestContext>): void {
  const providerOf = (c: RequestContext) => found(c.state.providers.get(idParam(c, 'account_id')));
  const adminOf = (c: RequestContext) => {
    const provider = providerOf(c);
    if (idParam(c, 'user_id') !== provider.admin_user_id) missing();
    return provider;
  };
  router
    .add('GET', '/admin/api/accounts/:account_id/users.json', (c) => ok({ users: [{ user: presentAdminUser(providerOf(c)) }] }))
    .add('GET', '/admin/api/accounts/:account_id/users/:user_id.json', (c) => ok({ user: presentAdminUser(adminOf(c)) }))
    .add('PUT', '/admin/api/accounts/:account_id/users/:user_id/activate.json', (c) =>
      ok({ user: presentAdminUser(c.state.providers.update(adminOf(c).id, { admin_user_state: 'active' })) }),
    );
}
