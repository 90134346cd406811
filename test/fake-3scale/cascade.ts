/**
 * What goes with a deleted row, as porta's `dependent: :destroy` chains do:
 * a metric takes its methods, mapping rules, limits and pricing rules; a
 * backend its metrics and rules; a product everything that hangs off it,
 * proxy configs included, so the gateway forgets its hosts at the next reload.
 */
import type { Owner, Tenant } from './state.js';

export function deleteMetric(tenant: Tenant, metricId: number): void {
  for (const child of tenant.metrics.where((m) => m.parent_id === metricId)) deleteMetric(tenant, child.id);
  tenant.mappingRules.deleteWhere((r) => r.metric_id === metricId);
  tenant.limits.deleteWhere((l) => l.metric_id === metricId);
  tenant.pricingRules.deleteWhere((p) => p.metric_id === metricId);
  tenant.metrics.delete(metricId);
}

function deleteOwned(tenant: Tenant, owner: Owner): void {
  const owns = (row: Owner) => row.owner_type === owner.owner_type && row.owner_id === owner.owner_id;
  tenant.mappingRules.deleteWhere(owns);
  for (const metric of tenant.metrics.where((m) => owns(m) && m.parent_id === null)) deleteMetric(tenant, metric.id);
}

export function deleteBackend(tenant: Tenant, backendId: number): void {
  deleteOwned(tenant, { owner_type: 'BackendApi', owner_id: backendId });
  tenant.backends.delete(backendId);
}

export function deletePlan(tenant: Tenant, planId: number): void {
  tenant.limits.deleteWhere((l) => l.plan_id === planId);
  tenant.pricingRules.deleteWhere((p) => p.plan_id === planId);
  tenant.plans.delete(planId);
}

export function deleteService(tenant: Tenant, serviceId: number): void {
  tenant.applications.deleteWhere((a) => a.service_id === serviceId);
  for (const plan of tenant.plans.where((p) => p.service_id === serviceId)) deletePlan(tenant, plan.id);
  deleteOwned(tenant, { owner_type: 'Service', owner_id: serviceId });
  tenant.backendUsages.deleteWhere((u) => u.service_id === serviceId);
  tenant.proxies.deleteWhere((p) => p.service_id === serviceId);
  tenant.policyChains.deleteWhere((p) => p.service_id === serviceId);
  tenant.oidcConfigurations.deleteWhere((o) => o.service_id === serviceId);
  tenant.proxyConfigs.deleteWhere((c) => c.service_id === serviceId);
  for (const doc of tenant.activeDocs.where((d) => d.service_id === serviceId)) tenant.activeDocs.update(doc.id, { service_id: null });
  tenant.services.delete(serviceId);
}

export function deleteAccount(tenant: Tenant, accountId: number): void {
  tenant.applications.deleteWhere((a) => a.account_id === accountId);
  tenant.users.deleteWhere((u) => u.account_id === accountId);
  tenant.accounts.delete(accountId);
}
