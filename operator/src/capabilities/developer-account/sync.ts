// DeveloperAccount: 3scale makes an account only together with its first admin user (signup), so a new account
// waits for an admin DeveloperUser CR naming it and signs up with that user's details. An account that exists
// (status id, else the same org_name) is adopted; then its fields follow the CR.
import type { DeveloperAccountSpec, DeveloperUserSpec } from '../api/kinds.js';
import { ThreescaleApiError } from '../threescale/errors.js';
import { paths } from '../threescale/paths.js';
import type { Account } from '../threescale/types.js';
import { changedFields } from '../sync/collection.js';
import { deleteIfCreated } from '../sync/cleanup.js';
import type { CapabilityReconciler, CleanupEnv, SyncEnv, SyncResult } from '../sync/env.js';
import { userPassword } from '../developer-user/password.js';

export interface DeveloperAccountStatus {
  accountID?: number;
  accountState?: string;
  creditCardStored?: boolean;
  created?: boolean;
}
type Env = SyncEnv<DeveloperAccountSpec, DeveloperAccountStatus>;

async function existingAccount(env: Env): Promise<Account | undefined> {
  const id = env.cr.status?.accountID;
  if (id !== undefined) {
    try {
      return (await env.client.get<{ account: Account }>(paths.account(id))).account;
    } catch (error) {
      if (!(error instanceof ThreescaleApiError && error.notFound)) throw error;
    }
  }
  const found = (await env.client.list<Account>(paths.accounts, 'accounts', 'account')).find((a) => a.org_name === env.cr.spec.orgName);
  if (found) {
    env.writes.add({ verb: 'adopted', what: `developer account ${found.org_name} (id ${found.id})` });
    await env.saveStatus({ accountID: found.id, created: false });
  }
  return found;
}

type SignUp = { account: Account } | { wait: SyncResult<DeveloperAccountStatus> };

async function signUp(env: Env): Promise<SignUp> {
  const admin = env
    .list<DeveloperUserSpec, unknown>('DeveloperUser')
    .filter((u) => u.spec.developerAccountRef.name === env.cr.metadata.name && (u.spec.role ?? 'member') === 'admin')
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''))
    .at(0);
  if (!admin)
    return {
      wait: {
        outcome: 'orphan',
        reason: 'NoAdminUser',
        message: 'waiting for a DeveloperUser with role admin that names this account (3scale creates an account with its first admin)',
      },
    };
  const password = userPassword(admin.spec, env.secret);
  if (!password.ok)
    return {
      wait: { outcome: 'orphan', reason: 'AdminUserPassword', message: `DeveloperUser ${admin.metadata.name}: ${password.reason}` },
    };
  const account = await env.client.create<Account>(paths.signup, 'account', {
    org_name: env.cr.spec.orgName,
    username: admin.spec.username,
    email: admin.spec.email,
    password: password.value,
    monthly_billing_enabled: env.cr.spec.monthlyBillingEnabled,
    monthly_charging_enabled: env.cr.spec.monthlyChargingEnabled,
  });
  env.writes.add({ verb: 'created', what: `developer account ${account.org_name} with admin ${admin.spec.username}` });
  await env.saveStatus({ accountID: account.id, created: true });
  return { account };
}

async function syncAccount(env: Env): Promise<SyncResult<DeveloperAccountStatus>> {
  let account = await existingAccount(env);
  if (!account) {
    const made = await signUp(env);
    if ('wait' in made) return made.wait;
    account = made.account;
  }
  const fields = changedFields(
    {
      org_name: env.cr.spec.orgName,
      monthly_billing_enabled: env.cr.spec.monthlyBillingEnabled,
      monthly_charging_enabled: env.cr.spec.monthlyChargingEnabled,
    },
    account,
  );
  if (Object.keys(fields).length > 0) {
    account = await env.client.update<Account>(paths.account(account.id), 'account', fields);
    env.writes.add({ verb: 'updated', what: `developer account ${env.cr.spec.orgName}`, fields: Object.keys(fields) });
  }
  return {
    outcome: 'synced',
    status: { accountID: account.id, accountState: account.state, creditCardStored: account.credit_card_stored ?? false },
  };
}

async function cleanupAccount(env: CleanupEnv<DeveloperAccountSpec, DeveloperAccountStatus>): Promise<void> {
  const { accountID: id, created } = env.cr.status ?? {};
  await deleteIfCreated(env.client, env.writes, { id, created, path: paths.account, what: `developer account ${env.cr.spec.orgName}` });
}

export const developerAccountReconciler: CapabilityReconciler<DeveloperAccountSpec, DeveloperAccountStatus> = {
  kind: 'DeveloperAccount',
  dependsOn: ['DeveloperUser'],
  sync: syncAccount,
  cleanup: cleanupAccount,
};
