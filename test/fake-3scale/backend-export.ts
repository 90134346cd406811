/**
 * What the fake Service Management API (gateway/test-support/fake-backend.ts)
 * must know for the gateway to authorize this tenant's traffic: each
 * product's service token and each application's credentials, with per-minute
 * limits of its plan under the metric names the proxy config uses. Live
 * applications are active, others not. An app_id application is exported
 * with its first key only (the fake backend checks one key per app).
 */
import type { FakeApplication, FakeBackendOptions } from '../../gateway/test-support/fake-backend.js';
import type { ApplicationRow, Tenant } from './state.js';

function minuteLimits(tenant: Tenant, planId: number): Record<string, number> | undefined {
  const limits: Record<string, number> = {};
  for (const limit of tenant.limits.where((l) => l.plan_id === planId && l.period === 'minute')) {
    const metric = tenant.metrics.get(limit.metric_id);
    if (!metric) continue;
    limits[metric.owner_type === 'BackendApi' ? `${metric.system_name}.${metric.owner_id}` : metric.system_name] = limit.value;
  }
  return Object.keys(limits).length > 0 ? limits : undefined;
}

function exportApplication(tenant: Tenant, app: ApplicationRow): FakeApplication {
  const credentials: FakeApplication =
    app.user_key !== null
      ? { user_key: app.user_key }
      : { app_id: app.application_id ?? undefined, ...(app.keys.length > 0 ? { app_key: app.keys[0] } : {}) };
  const limits = minuteLimits(tenant, app.plan_id);
  return { ...credentials, active: app.state === 'live', ...(limits ? { limits } : {}) };
}

export function backendOptionsOf(tenant: Tenant): Required<Pick<FakeBackendOptions, 'serviceTokens' | 'applications'>> {
  const serviceTokens: Record<string, string> = {};
  for (const service of tenant.services.all()) serviceTokens[String(service.id)] = service.service_token;
  return { serviceTokens, applications: tenant.applications.all().map((app) => exportApplication(tenant, app)) };
}
