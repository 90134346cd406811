// Tenant: a provider account made through the Master API with the master token. 3scale hands out the new
// tenant's admin token once, in the answer to the create call, so the operator writes it to tenantSecretRef
// (adminURL, token) at once; that Secret is then a providerAccountRef for the other CRs. An existing Secret is
// never overwritten.
import type { TenantSpec } from '../api/kinds.js';
import { ThreescaleApiError } from '../threescale/errors.js';
import { paths } from '../threescale/paths.js';
import { deleteIfCreated } from '../sync/cleanup.js';
import type { CapabilityReconciler, CleanupEnv, SyncEnv, SyncResult } from '../sync/env.js';
import { INSECURE_SKIP_VERIFY_ANNOTATION } from '../api/common.js';

export interface TenantStatus {
  tenantId?: number;
  adminId?: number;
  created?: boolean;
}
type Env = SyncEnv<TenantSpec, TenantStatus>;

interface AdminUser {
  id: number;
  state?: string;
}
interface Signup {
  signup?: {
    account?: { id: number; admin_domain?: string; admin_base_url?: string; users?: { user?: AdminUser[] | AdminUser } };
    access_token?: { value?: string };
  };
}

/** porta lists the tenant's users as {"users":{"user":[...]}}. */
function adminUserOf(account: NonNullable<NonNullable<Signup['signup']>['account']>): AdminUser | undefined {
  const users = account.users?.user;
  return Array.isArray(users) ? users[0] : users;
}

/** The tenant's admin URL: its admin domain, with the master URL's scheme and port. */
export function tenantAdminUrl(masterUrl: string, adminDomain: string): string {
  const master = new URL(masterUrl);
  return `${master.protocol}//${adminDomain}${master.port ? `:${master.port}` : ''}`;
}

async function writeTenantSecret(env: Env, adminUrl: string, token: string): Promise<void> {
  const ref = env.cr.spec.tenantSecretRef;
  if (env.secret(ref.name, ref.namespace)) return;
  await env.kube.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: ref.name, namespace: ref.namespace },
    type: 'Opaque',
    data: { adminURL: Buffer.from(adminUrl).toString('base64'), token: Buffer.from(token).toString('base64') },
  });
  env.writes.add({ verb: 'created', what: `Secret ${ref.namespace}/${ref.name} with the tenant's admin credentials` });
}

async function syncTenant(env: Env): Promise<SyncResult<TenantStatus>> {
  const { cr, client, writes } = env;
  const password = env.secret(cr.spec.passwordCredentialsRef.name, cr.spec.passwordCredentialsRef.namespace)?.password;
  if (!password)
    return {
      outcome: 'invalid',
      problems: [{ path: 'spec.passwordCredentialsRef', reason: `Secret ${cr.spec.passwordCredentialsRef.name} has no key password` }],
    };
  const id = cr.status?.tenantId;
  if (id !== undefined) {
    try {
      const account = (await client.get<{ account: { id: number; state?: string } }>(paths.provider(id))).account;
      const hasSecret = env.secret(cr.spec.tenantSecretRef.name, cr.spec.tenantSecretRef.namespace) !== undefined;
      return hasSecret
        ? { outcome: 'synced', status: { tenantId: account.id } }
        : {
            outcome: 'synced',
            status: { tenantId: account.id },
            message: `tenant exists, but Secret ${cr.spec.tenantSecretRef.name} is gone: 3scale shows a new token only once; create an access token in the tenant's admin portal and put it there`,
          };
    } catch (error) {
      if (!(error instanceof ThreescaleApiError && error.notFound)) throw error;
    }
  }
  const answer = (await client.action('POST', paths.providers, {
    org_name: cr.spec.organizationName,
    username: cr.spec.username,
    email: cr.spec.email,
    password,
  })) as Signup;
  const account = answer.signup?.account;
  const token = answer.signup?.access_token?.value;
  if (!account || !token || (!account.admin_domain && !account.admin_base_url))
    throw new ThreescaleApiError(200, 'POST', paths.providers, {}, 'the signup answer has no account, admin domain or access_token');
  writes.add({ verb: 'created', what: `tenant ${cr.spec.organizationName}` });
  const admin = adminUserOf(account);
  await env.saveStatus({ tenantId: account.id, created: true, ...(admin ? { adminId: admin.id } : {}) });
  await writeTenantSecret(env, account.admin_base_url ?? tenantAdminUrl(cr.spec.systemMasterUrl, account.admin_domain ?? ''), token);
  // The new admin user starts pending: activated through the master account's API, where tenants are accounts.
  if (admin && admin.state !== 'active') {
    await client.action('PUT', paths.userAction(account.id, admin.id, 'activate'));
    writes.add({ verb: 'updated', what: `admin user of tenant ${cr.spec.organizationName}: activated` });
  }
  return { outcome: 'synced', status: { tenantId: account.id } };
}

async function cleanupTenant(env: CleanupEnv<TenantSpec, TenantStatus>): Promise<void> {
  const { tenantId: id, created } = env.cr.status ?? {};
  await deleteIfCreated(env.client, env.writes, {
    id,
    created,
    path: paths.provider,
    what: `tenant ${env.cr.spec.organizationName} (3scale schedules it for deletion)`,
  });
}

export const tenantReconciler: CapabilityReconciler<TenantSpec, TenantStatus> = {
  kind: 'Tenant',
  sync: syncTenant,
  cleanup: cleanupTenant,
  credentials: (cr, secret) => {
    const ref = cr.spec.masterCredentialsRef;
    const token = secret(ref.name, ref.namespace)?.MASTER_ACCESS_TOKEN?.trim();
    if (!token)
      return {
        ok: false,
        error: {
          path: 'spec.masterCredentialsRef',
          reason: `Secret ${ref.namespace}/${ref.name} ${secret(ref.name, ref.namespace) ? 'has no MASTER_ACCESS_TOKEN' : 'does not exist'}`,
        },
      };
    return {
      ok: true,
      access: {
        adminUrl: new URL(cr.spec.systemMasterUrl).origin,
        token,
        insecureSkipVerify: cr.metadata.annotations?.[INSECURE_SKIP_VERIFY_ANNOTATION] === 'true',
      },
    };
  },
};
