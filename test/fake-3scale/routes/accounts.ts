/**
 * Developer (buyer) accounts: signup makes an approved account and its admin
 * user (org_name, username, email required; username and email unique among
 * the tenant's users); list, read, update, delete (with users and
 * applications), find by username, email or user_id, and the state actions.
 */
import { unwrap, type Fields } from '../body.js';
import { deleteAccount } from '../cascade.js';
import { defined, flag, integer, text, checked } from '../fields.js';
import { listOf, paginate } from '../paging.js';
import { created, deleted, FieldErrors, notFound, ok } from '../reply.js';
import { found, idParam, type AdminContext, type Router } from '../router.js';
import type { AccountRow, Tenant } from '../state.js';
import { checkUserUnique } from './users.js';

const ACCOUNT_FIELDS = new Set([
  'org_name',
  'state',
  'monthly_billing_enabled',
  'monthly_charging_enabled',
  'username',
  'email',
  'password',
  'access_token',
]);

export function presentAccount(row: AccountRow) {
  return {
    id: row.id,
    org_name: row.org_name,
    state: row.state,
    monthly_billing_enabled: row.monthly_billing_enabled,
    monthly_charging_enabled: row.monthly_charging_enabled,
    extra_fields: row.extra_fields,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Fields porta does not know as columns end in `extra_fields`, as its signup keeps them. */
function extraFields(body: Fields): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const key of Object.keys(body)) if (!ACCOUNT_FIELDS.has(key)) extra[key] = text(body, key) ?? '';
  return extra;
}

function signup(context: AdminContext): AccountRow {
  const { tenant } = context;
  const body = unwrap(context.body, 'account');
  const errors = new FieldErrors();
  const orgName = text(body, 'org_name');
  const username = text(body, 'username');
  const email = text(body, 'email');
  if (!orgName) errors.add('org_name', "can't be blank");
  if (!username) errors.add('username', "can't be blank");
  if (!email) errors.add('email', "can't be blank");
  checkUserUnique(tenant, errors, { username, email }, undefined);
  errors.throwIfAny();
  const account = tenant.accounts.insert({
    org_name: checked(orgName, 'org_name'),
    state: 'approved',
    monthly_billing_enabled: true,
    monthly_charging_enabled: true,
    extra_fields: extraFields(body),
  });
  tenant.users.insert({
    account_id: account.id,
    username: checked(username, 'username'),
    email: checked(email, 'email'),
    password: text(body, 'password') ?? null,
    state: 'active',
    role: 'admin',
  });
  return account;
}

function findAccount(tenant: Tenant, query: URLSearchParams): AccountRow {
  const errors = new FieldErrors();
  const userId = integer({ user_id: query.get('user_id') ?? undefined }, 'user_id', errors);
  const user = tenant.users.find(
    (u) =>
      (query.get('username') !== null && u.username === query.get('username')) ||
      (query.get('email') !== null && u.email === query.get('email')) ||
      (userId !== undefined && u.id === userId),
  );
  if (!user) throw notFound();
  return found(tenant.accounts.get(user.account_id));
}

export function addAccountRoutes(router: Router<AdminContext>): void {
  const accountOf = (c: AdminContext) => found(c.tenant.accounts.get(idParam(c, 'account_id')));
  const stateAction = (state: AccountRow['state']) => (c: AdminContext) =>
    ok({ account: presentAccount(c.tenant.accounts.update(accountOf(c).id, { state })) });
  router
    .add('POST', '/admin/api/signup.json', (c) => created({ account: presentAccount(signup(c)) }))
    .add('GET', '/admin/api/accounts.json', (c) => {
      const state = c.query.get('state');
      const rows = c.tenant.accounts.where((a) => state === null || a.state === state);
      return ok(listOf('accounts', 'account', paginate(rows, c.query).map(presentAccount)));
    })
    .add('GET', '/admin/api/accounts/find.json', (c) => ok({ account: presentAccount(findAccount(c.tenant, c.query)) }))
    .add('GET', '/admin/api/accounts/:account_id.json', (c) => ok({ account: presentAccount(accountOf(c)) }))
    .add('PUT', '/admin/api/accounts/:account_id.json', (c) => {
      const account = accountOf(c);
      const body = unwrap(c.body, 'account');
      const errors = new FieldErrors();
      const orgName = text(body, 'org_name');
      if (orgName === '') errors.add('org_name', "can't be blank");
      const fields = defined({
        org_name: orgName,
        monthly_billing_enabled: flag(body, 'monthly_billing_enabled', errors),
        monthly_charging_enabled: flag(body, 'monthly_charging_enabled', errors),
      });
      errors.throwIfAny();
      const extra = extraFields(body);
      const changes = Object.keys(extra).length > 0 ? { ...fields, extra_fields: { ...account.extra_fields, ...extra } } : fields;
      return ok({ account: presentAccount(c.tenant.accounts.update(account.id, changes)) });
    })
    .add('DELETE', '/admin/api/accounts/:account_id.json', (c) => {
      deleteAccount(c.tenant, accountOf(c).id);
      return deleted();
    })
    .add('PUT', '/admin/api/accounts/:account_id/approve.json', stateAction('approved'))
    .add('PUT', '/admin/api/accounts/:account_id/reject.json', stateAction('rejected'))
    .add('PUT', '/admin/api/accounts/:account_id/make_pending.json', stateAction('pending'));
}
