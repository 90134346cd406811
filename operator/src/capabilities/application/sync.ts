// Application: a developer account's subscription to one plan of a product. Needs its DeveloperAccount and
// Product CRs synced (Orphan until then) and the plan to be one the Product declares (Invalid otherwise). Found by
// id in status, else by name among the account's applications of that product; the plan, name, description and
// suspension follow the CR.
import type { ApplicationSpec, DeveloperAccountSpec, ProductSpec } from '../api/kinds.js';
import { paths } from '../threescale/paths.js';
import type { Application, ApplicationPlan } from '../threescale/types.js';
import { changedFields } from '../sync/collection.js';
import { deleteIfCreated } from '../sync/cleanup.js';
import type { CapabilityReconciler, CleanupEnv, SyncEnv, SyncResult } from '../sync/env.js';
import type { DeveloperAccountStatus } from '../developer-account/sync.js';
import type { ProductStatus } from '../product/sync.js';

export interface ApplicationStatus {
  id?: number;
  state?: string;
  accountID?: number;
  created?: boolean;
}
type Env = SyncEnv<ApplicationSpec, ApplicationStatus>;

const synced = (cr: { status?: unknown }): boolean =>
  ((cr.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === 'Synced' && c.status === 'True',
  );

async function syncApplication(env: Env): Promise<SyncResult<ApplicationStatus>> {
  const { cr, client, writes } = env;
  const account = env.find<DeveloperAccountSpec, DeveloperAccountStatus>('DeveloperAccount', cr.spec.accountCR.name);
  const product = env.find<ProductSpec, ProductStatus>('Product', cr.spec.productCR.name);
  if (!account)
    return {
      outcome: 'orphan',
      reason: 'DeveloperAccountNotFound',
      message: `spec.accountCR: no DeveloperAccount ${cr.spec.accountCR.name} in this namespace`,
    };
  if (!product)
    return {
      outcome: 'orphan',
      reason: 'ProductNotFound',
      message: `spec.productCR: no Product ${cr.spec.productCR.name} in this namespace`,
    };
  if (!(cr.spec.applicationPlanName in (product.spec.applicationPlans ?? {}))) {
    return {
      outcome: 'invalid',
      problems: [
        {
          path: 'spec.applicationPlanName',
          reason: `Product ${product.metadata.name} has no plan "${cr.spec.applicationPlanName}" (it has: ${Object.keys(product.spec.applicationPlans ?? {}).join(', ') || 'none'})`,
        },
      ],
    };
  }
  const accountId = account.status?.accountID;
  const serviceId = product.status?.productId;
  if (accountId === undefined || !synced(account))
    return {
      outcome: 'orphan',
      reason: 'DeveloperAccountNotSynced',
      message: `waiting for DeveloperAccount ${account.metadata.name} to sync`,
    };
  if (serviceId === undefined || !synced(product))
    return { outcome: 'orphan', reason: 'ProductNotSynced', message: `waiting for Product ${product.metadata.name} to sync` };

  const plans = await client.list<ApplicationPlan>(paths.plans(serviceId), 'plans', 'application_plan');
  const plan = plans.find((p) => p.system_name === cr.spec.applicationPlanName);
  if (!plan) return { outcome: 'orphan', reason: 'PlanNotSynced', message: `plan ${cr.spec.applicationPlanName} is not in 3scale yet` };

  const apps = await client.list<Application>(paths.applications(accountId), 'applications', 'application');
  let app = apps.find((a) => a.id === cr.status?.id) ?? apps.find((a) => a.service_id === serviceId && a.name === cr.spec.name);
  if (!app) {
    app = await client.create<Application>(paths.applications(accountId), 'application', {
      plan_id: plan.id,
      name: cr.spec.name,
      description: cr.spec.description,
    });
    writes.add({ verb: 'created', what: `application ${cr.spec.name} on plan ${cr.spec.applicationPlanName}` });
    await env.saveStatus({ id: app.id, accountID: accountId, created: true });
  } else if (app.id !== cr.status?.id) {
    writes.add({ verb: 'adopted', what: `application ${app.name} (id ${app.id})` });
    await env.saveStatus({ id: app.id, accountID: accountId, created: false });
  }
  const fields = changedFields({ name: cr.spec.name, description: cr.spec.description }, app);
  if (Object.keys(fields).length > 0) {
    app = await client.update<Application>(paths.application(accountId, app.id), 'application', fields);
    writes.add({ verb: 'updated', what: `application ${cr.spec.name}`, fields: Object.keys(fields) });
  }
  if (Number(app.plan_id) !== plan.id) {
    const answer = await client.action('PUT', paths.applicationAction(accountId, app.id, 'change_plan'), { plan_id: plan.id });
    app = (answer as { application?: Application }).application ?? app;
    writes.add({ verb: 'updated', what: `application ${cr.spec.name}: plan ${cr.spec.applicationPlanName}` });
  }
  const suspend = cr.spec.suspend ?? false;
  if (suspend !== (app.state === 'suspended')) {
    const answer = await client.action('PUT', paths.applicationAction(accountId, app.id, suspend ? 'suspend' : 'resume'));
    app = (answer as { application?: Application }).application ?? { ...app, state: suspend ? 'suspended' : 'live' };
    writes.add({ verb: 'updated', what: `application ${cr.spec.name}: ${suspend ? 'suspended' : 'resumed'}` });
  }
  return { outcome: 'synced', status: { id: app.id, state: app.state, accountID: accountId } };
}

async function cleanupApplication(env: CleanupEnv<ApplicationSpec, ApplicationStatus>): Promise<void> {
  const { id, accountID, created } = env.cr.status ?? {};
  if (accountID === undefined) return;
  await deleteIfCreated(env.client, env.writes, {
    id,
    created,
    path: (app) => paths.application(accountID, app),
    what: `application ${env.cr.spec.name}`,
  });
}

export const applicationReconciler: CapabilityReconciler<ApplicationSpec, ApplicationStatus> = {
  kind: 'Application',
  dependsOn: ['DeveloperAccount', 'Product'],
  sync: syncApplication,
  cleanup: cleanupApplication,
};
