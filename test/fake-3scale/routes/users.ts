/**
 * Users of a developer account: username and email required and unique
 * among the tenant's developer users; new users are pending members; the
 * actions activate, admin, member, suspend, unsuspend change state or role.
 */
import { unwrap } from '../body.js';
import { defined, text, checked } from '../fields.js';
import { listOf, paginate } from '../paging.js';
import { created, deleted, FieldErrors, ok } from '../reply.js';
import { found, idParam, missing, type AdminContext, type Router } from '../router.js';
import type { Tenant, UserRow } from '../state.js';

export function presentUser(row: UserRow) {
  return {
    id: row.id,
    state: row.state,
    role: row.role,
    username: row.username,
    email: row.email,
    account_id: row.account_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function checkUserUnique(
  tenant: Tenant,
  errors: FieldErrors,
  user: { username?: string; email?: string },
  selfId: number | undefined,
): void {
  if (user.username && tenant.users.find((u) => u.username === user.username && u.id !== selfId))
    errors.add('username', 'has already been taken');
  if (user.email && tenant.users.find((u) => u.email === user.email && u.id !== selfId)) errors.add('email', 'has already been taken');
  if (user.email !== undefined && user.email !== '' && !/^[^@\s]+@[^@\s]+$/.test(user.email))
    errors.add('email', 'should look like an email address');
}

const ACTIONS: Record<string, (user: UserRow) => Partial<UserRow>> = {
  activate: (u) => (u.state === 'pending' ? { state: 'active' } : {}),
  admin: () => ({ role: 'admin' }),
  member: () => ({ role: 'member' }),
  suspend: () => ({ state: 'suspended' }),
  unsuspend: (u) => (u.state === 'suspended' ? { state: 'active' } : {}),
};

export function addUserRoutes(router: Router<AdminContext>): void {
  const base = '/admin/api/accounts/:account_id/users';
  const accountOf = (c: AdminContext) => found(c.tenant.accounts.get(idParam(c, 'account_id')));
  const userOf = (c: AdminContext) => {
    const account = accountOf(c);
    const user = found(c.tenant.users.get(idParam(c, 'user_id')));
    return user.account_id === account.id ? user : missing();
  };
  router
    .add('GET', `${base}.json`, (c) => {
      const account = accountOf(c);
      const state = c.query.get('state');
      const role = c.query.get('role');
      const rows = c.tenant.users.where(
        (u) => u.account_id === account.id && (state === null || u.state === state) && (role === null || u.role === role),
      );
      return ok(listOf('users', 'user', paginate(rows, c.query).map(presentUser)));
    })
    .add('POST', `${base}.json`, (c) => {
      const account = accountOf(c);
      const body = unwrap(c.body, 'user');
      const errors = new FieldErrors();
      const username = text(body, 'username');
      const email = text(body, 'email');
      if (!username) errors.add('username', "can't be blank");
      if (!email) errors.add('email', "can't be blank");
      checkUserUnique(c.tenant, errors, { username, email }, undefined);
      errors.throwIfAny();
      const row = c.tenant.users.insert({
        account_id: account.id,
        username: checked(username, 'username'),
        email: checked(email, 'email'),
        password: text(body, 'password') ?? null,
        state: 'pending',
        role: 'member',
      });
      return created({ user: presentUser(row) });
    })
    .add('GET', `${base}/:user_id.json`, (c) => ok({ user: presentUser(userOf(c)) }))
    .add('PUT', `${base}/:user_id.json`, (c) => {
      const user = userOf(c);
      const body = unwrap(c.body, 'user');
      const errors = new FieldErrors();
      const fields = defined({ username: text(body, 'username'), email: text(body, 'email'), password: text(body, 'password') });
      if (fields.username === '') errors.add('username', "can't be blank");
      if (fields.email === '') errors.add('email', "can't be blank");
      checkUserUnique(c.tenant, errors, fields, user.id);
      errors.throwIfAny();
      return ok({ user: presentUser(c.tenant.users.update(user.id, fields)) });
    })
    .add('DELETE', `${base}/:user_id.json`, (c) => {
      c.tenant.users.delete(userOf(c).id);
      return deleted();
    });
  for (const [action, change] of Object.entries(ACTIONS)) {
    router.add('PUT', `${base}/:user_id/${action}.json`, (c) => {
      const user = userOf(c);
      return ok({ user: presentUser(c.tenant.users.update(user.id, change(user))) });
    });
  }
}
