// DeveloperUser: a user of the account its DeveloperAccount CR synced. Found by id in status, else by username
// (the account's first admin was made by the signup); created otherwise, activated, and its role and suspension
// follow the CR.
import type { DeveloperAccountSpec, DeveloperUserSpec } from '../api/kinds.js';
import { paths } from '../threescale/paths.js';
import type { User } from '../threescale/types.js';
import { changedFields } from '../sync/collection.js';
import { deleteIfCreated } from '../sync/cleanup.js';
import type { CapabilityReconciler, CleanupEnv, SyncEnv, SyncResult } from '../sync/env.js';
import type { DeveloperAccountStatus } from '../developer-account/sync.js';
import { userPassword } from './password.js';

export interface DeveloperUserStatus {
  developerUserID?: number;
  accountID?: number;
  developerUserState?: string;
  created?: boolean;
}
type Env = SyncEnv<DeveloperUserSpec, DeveloperUserStatus>;

async function findUser(env: Env, accountId: number): Promise<User | undefined> {
  const users = await env.client.list<User>(paths.users(accountId), 'users', 'user');
  const id = env.cr.status?.developerUserID;
  return users.find((u) => u.id === id) ?? users.find((u) => u.username === env.cr.spec.username);
}

async function syncUser(env: Env): Promise<SyncResult<DeveloperUserStatus>> {
  const { cr, client, writes } = env;
  const accountCr = env.find<DeveloperAccountSpec, DeveloperAccountStatus>('DeveloperAccount', cr.spec.developerAccountRef.name);
  if (!accountCr)
    return {
      outcome: 'orphan',
      reason: 'DeveloperAccountNotFound',
      message: `spec.developerAccountRef: no DeveloperAccount ${cr.spec.developerAccountRef.name} in this namespace`,
    };
  const accountId = accountCr.status?.accountID;
  if (accountId === undefined)
    return {
      outcome: 'orphan',
      reason: 'DeveloperAccountNotSynced',
      message: `waiting for DeveloperAccount ${accountCr.metadata.name} to sync`,
    };
  const password = userPassword(cr.spec, env.secret);
  if (!password.ok) return { outcome: 'invalid', problems: [{ path: 'spec.passwordCredentialsRef', reason: password.reason }] };

  let user = await findUser(env, accountId);
  if (!user) {
    user = await client.create<User>(paths.users(accountId), 'user', {
      username: cr.spec.username,
      email: cr.spec.email,
      password: password.value,
    });
    writes.add({ verb: 'created', what: `developer user ${cr.spec.username}` });
    await env.saveStatus({ developerUserID: user.id, accountID: accountId, created: true });
  } else if (user.id !== cr.status?.developerUserID) {
    writes.add({ verb: 'adopted', what: `developer user ${user.username} (id ${user.id})` });
    await env.saveStatus({ developerUserID: user.id, accountID: accountId, created: false });
  }
  const fields = changedFields({ email: cr.spec.email }, user);
  if (Object.keys(fields).length > 0) {
    user = await client.update<User>(paths.user(accountId, user.id), 'user', fields);
    writes.add({ verb: 'updated', what: `developer user ${cr.spec.username}`, fields: Object.keys(fields) });
  }
  const userId = user.id;
  const act = async (action: 'activate' | 'admin' | 'member' | 'suspend' | 'unsuspend', words: string) => {
    const answer = await client.action('PUT', paths.userAction(accountId, userId, action));
    user = (answer as { user?: User }).user ?? user;
    writes.add({ verb: 'updated', what: `developer user ${cr.spec.username}: ${words}` });
  };
  if (user.state === 'pending') await act('activate', 'activated');
  const role = cr.spec.role ?? 'member';
  if (user.role !== role) await act(role, `role ${role}`);
  const suspended = cr.spec.suspended ?? false;
  if (suspended && user.state !== 'suspended') await act('suspend', 'suspended');
  if (!suspended && user.state === 'suspended') await act('unsuspend', 'unsuspended');
  return { outcome: 'synced', status: { developerUserID: user.id, accountID: accountId, developerUserState: user.state } };
}

async function cleanupUser(env: CleanupEnv<DeveloperUserSpec, DeveloperUserStatus>): Promise<void> {
  const { developerUserID: id, accountID: account, created } = env.cr.status ?? {};
  if (account === undefined) return;
  // 422: 3scale keeps an account's last admin (the account goes with its DeveloperAccount).
  await deleteIfCreated(
    env.client,
    env.writes,
    { id, created, path: (user) => paths.user(account, user), what: `developer user ${env.cr.spec.username}` },
    [422],
  );
}

export const developerUserReconciler: CapabilityReconciler<DeveloperUserSpec, DeveloperUserStatus> = {
  kind: 'DeveloperUser',
  dependsOn: ['DeveloperAccount'],
  sync: syncUser,
  cleanup: cleanupUser,
};
