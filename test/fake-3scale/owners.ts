/**
 * The parent of metrics and mapping rules: a backend (`/backend_apis/:backend_id`)
 * or a product (`/services/:service_id`). Unknown parents are 404.
 */
import { found, idParam, type AdminContext } from './router.js';
import type { MetricRow, Owner, Tenant } from './state.js';

export type OwnerOf = (context: AdminContext) => Owner;

export const backendOwner: OwnerOf = (context) => {
  const backend = found(context.tenant.backends.get(idParam(context, 'backend_id')));
  return { owner_type: 'BackendApi', owner_id: backend.id };
};

export const serviceOwner: OwnerOf = (context) => {
  const service = found(context.tenant.services.get(idParam(context, 'service_id')));
  return { owner_type: 'Service', owner_id: service.id };
};

export const ownedBy =
  (owner: Owner) =>
  (row: Owner): boolean =>
    row.owner_type === owner.owner_type && row.owner_id === owner.owner_id;

/** Backends a product uses through its backend usages. */
export function backendIdsOf(tenant: Tenant, serviceId: number): number[] {
  return tenant.backendUsages.where((u) => u.service_id === serviceId).map((u) => u.backend_id);
}

/**
 * Metrics (and methods) a product can count on: its own and those of the
 * backends it uses. Plans' limits and pricing rules, and the product's own
 * mapping rules, may only name these.
 */
export function metricsUsableBy(tenant: Tenant, serviceId: number): MetricRow[] {
  const backends = new Set(backendIdsOf(tenant, serviceId));
  return tenant.metrics.where(
    (m) => (m.owner_type === 'Service' && m.owner_id === serviceId) || (m.owner_type === 'BackendApi' && backends.has(m.owner_id)),
  );
}
