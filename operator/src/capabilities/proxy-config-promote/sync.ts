// ProxyConfigPromote: a one-shot. It deploys the product's current configuration to staging and, with
// production: true, promotes the latest staging version to production. Once done for a generation it reads
// nothing more (a resync costs no 3scale call); edit the CR, or make a new one, to promote again.
import type { ProductSpec, ProxyConfigPromoteSpec } from '../api/kinds.js';
import { ThreescaleApiError } from '../threescale/errors.js';
import { paths } from '../threescale/paths.js';
import type { ProxyConfig } from '../threescale/types.js';
import type { CapabilityReconciler, SyncEnv, SyncResult } from '../sync/env.js';
import type { ProductStatus } from '../product/sync.js';

export interface PromoteStatus {
  productId?: number;
  latestStagingVersion?: number;
  latestProductionVersion?: number;
  conditions?: { type: string; status: string }[];
  observedGeneration?: number;
}
type Env = SyncEnv<ProxyConfigPromoteSpec, PromoteStatus>;

async function latestVersion(env: Env, serviceId: number, environment: 'sandbox' | 'production'): Promise<number | undefined> {
  try {
    return (await env.client.get<{ proxy_config?: ProxyConfig }>(paths.latestConfig(serviceId, environment))).proxy_config?.version;
  } catch (error) {
    if (error instanceof ThreescaleApiError && error.notFound) return undefined;
    throw error;
  }
}

async function syncPromote(env: Env): Promise<SyncResult<PromoteStatus>> {
  const { cr } = env;
  const done =
    cr.status?.observedGeneration === cr.metadata.generation &&
    (cr.status?.conditions ?? []).some((c) => c.type === 'Synced' && c.status === 'True');
  if (done) {
    const message = (cr.status?.conditions ?? []).find((c) => c.type === 'Synced') as { message?: string } | undefined;
    return { outcome: 'synced', status: {}, ...(message?.message ? { message: message.message } : {}) };
  }
  const product = env.find<ProductSpec, ProductStatus>('Product', cr.spec.productCRName);
  if (!product)
    return {
      outcome: 'orphan',
      reason: 'ProductNotFound',
      message: `spec.productCRName: no Product ${cr.spec.productCRName} in this namespace`,
    };
  const serviceId = product.status?.productId;
  const productSynced = ((product.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === 'Synced' && c.status === 'True',
  );
  if (serviceId === undefined || !productSynced)
    return { outcome: 'orphan', reason: 'ProductNotSynced', message: `waiting for Product ${product.metadata.name} to sync` };

  await env.client.action('POST', paths.deploy(serviceId));
  env.writes.add({ verb: 'deployed', what: `${product.metadata.name} to staging` });
  const staging = await latestVersion(env, serviceId, 'sandbox');
  let production = await latestVersion(env, serviceId, 'production');
  if (cr.spec.production && staging !== undefined && production !== staging) {
    try {
      await env.client.action('POST', paths.promote(serviceId, staging), {}, { to: 'production' });
      env.writes.add({ verb: 'promoted', what: `${product.metadata.name} staging version ${staging} to production` });
    } catch (error) {
      // 422: that version is in production already (promoted by someone else meanwhile).
      if (!(error instanceof ThreescaleApiError && error.status === 422)) throw error;
    }
    production = await latestVersion(env, serviceId, 'production');
  }
  const status: PromoteStatus = {
    productId: serviceId,
    ...(staging !== undefined ? { latestStagingVersion: staging } : {}),
    ...(production !== undefined ? { latestProductionVersion: production } : {}),
  };
  return cr.spec.deleteCR
    ? { outcome: 'done-delete', status }
    : {
        outcome: 'synced',
        status,
        message: cr.spec.production ? `production runs version ${production}` : `staging runs version ${staging}`,
      };
}

export const proxyConfigPromoteReconciler: CapabilityReconciler<ProxyConfigPromoteSpec, PromoteStatus> = {
  kind: 'ProxyConfigPromote',
  dependsOn: ['Product'],
  sync: syncPromote,
};
