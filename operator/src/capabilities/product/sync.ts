// Product: resolves its Backends, finds or creates its 3scale service, then makes the service, its gateway
// settings, metrics, methods, mapping rules, backend usages, policy chain and plans equal to the CR. Any change is
// deployed to the staging configuration (production is ProxyConfigPromote's job).
import type { FieldError } from '../../model/types.js';
import type { BackendSpec, ProductSpec } from '../api/kinds.js';
import type { ThreescaleClient } from '../threescale/client.js';
import { ThreescaleApiError } from '../threescale/errors.js';
import { paths } from '../threescale/paths.js';
import type { BackendUsage, Metric, ProxyConfig, Service } from '../threescale/types.js';
import { changedFields, planCollection } from '../sync/collection.js';
import { applyPlan } from '../sync/apply-plan.js';
import { deleteIfCreated } from '../sync/cleanup.js';
import { systemNameFrom, type CapabilityReconciler, type CleanupEnv, type SyncEnv, type SyncResult } from '../sync/env.js';
import { syncMetricsAndRules } from '../sync/metrics.js';
import type { BackendStatus } from '../backend/sync.js';
import { oidcFlows, proxySettings, serviceSettings } from './proxy.js';
import { resolveReferences, type ResolvedBackend } from './references.js';
import { syncPlans } from './plans.js';
import { desiredPolicies, policiesEqual } from './policies.js';

export interface ProductStatus {
  productId?: number;
  state?: string;
  created?: boolean;
  latestStagingVersion?: number;
}

type Env = SyncEnv<ProductSpec, ProductStatus>;

export const productSystemName = (spec: ProductSpec): string => spec.systemName ?? systemNameFrom(spec.name);

function duplicateClaims(env: Env): FieldError[] {
  const name = productSystemName(env.cr.spec);
  const mine = `${env.cr.metadata.creationTimestamp ?? ''}/${env.cr.metadata.name}`;
  const older = env
    .list<ProductSpec, ProductStatus>('Product')
    .filter((o) => o.metadata.name !== env.cr.metadata.name && productSystemName(o.spec) === name)
    .filter((o) => (o.spec.providerAccountRef?.name ?? '') === (env.cr.spec.providerAccountRef?.name ?? ''))
    .filter((o) => `${o.metadata.creationTimestamp ?? ''}/${o.metadata.name}` < mine);
  return older.length > 0
    ? [{ path: 'spec.systemName', reason: `"${name}" is already used by Product ${older.map((o) => o.metadata.name).join(', ')}` }]
    : [];
}

async function findOrCreate(env: Env): Promise<Service> {
  const { client, cr, writes } = env;
  const id = cr.status?.productId;
  if (id !== undefined) {
    try {
      return (await client.get<{ service: Service }>(paths.service(id))).service;
    } catch (error) {
      if (!(error instanceof ThreescaleApiError && error.notFound)) throw error;
    }
  }
  const systemName = productSystemName(cr.spec);
  const existing = (await client.list<Service>(paths.services, 'services', 'service')).find((s) => s.system_name === systemName);
  if (existing) {
    if (existing.id !== id) writes.add({ verb: 'adopted', what: `product ${systemName} (id ${existing.id})` });
    await env.saveStatus({ productId: existing.id, created: existing.id === id ? (cr.status?.created ?? false) : false });
    return existing;
  }
  const made = await client.create<Service>(paths.services, 'service', {
    name: cr.spec.name,
    system_name: systemName,
    description: cr.spec.description,
    ...serviceSettings(cr.spec),
  });
  writes.add({ verb: 'created', what: `product ${systemName}` });
  await env.saveStatus({ productId: made.id, created: true });
  return made;
}

async function syncGatewaySettings(env: Env, service: Service): Promise<void> {
  const { client, cr, writes } = env;
  const serviceFields = changedFields({ name: cr.spec.name, description: cr.spec.description ?? '', ...serviceSettings(cr.spec) }, service);
  if (Object.keys(serviceFields).length > 0) {
    await client.update(paths.service(service.id), 'service', serviceFields);
    writes.add({ verb: 'updated', what: `product ${service.system_name}`, fields: Object.keys(serviceFields) });
  }
  const proxy = (await client.get<{ proxy: Record<string, unknown> }>(paths.proxy(service.id))).proxy;
  const proxyFields = changedFields(proxySettings(cr.spec), proxy);
  if (Object.keys(proxyFields).length > 0) {
    await client.update(paths.proxy(service.id), 'proxy', proxyFields, 'PATCH');
    writes.add({ verb: 'updated', what: `gateway settings of ${service.system_name}`, fields: Object.keys(proxyFields) });
  }
  const flows = oidcFlows(cr.spec);
  if (flows) {
    const path = `/admin/api/services/${service.id}/proxy/oidc_configuration.json`;
    const current = (await client.get<{ oidc_configuration?: Record<string, unknown> }>(path)).oidc_configuration ?? {};
    const changed = changedFields(flows, current);
    if (Object.keys(changed).length > 0) {
      await client.update(path, 'oidc_configuration', changed, 'PATCH');
      writes.add({ verb: 'updated', what: `OIDC flows of ${service.system_name}`, fields: Object.keys(changed) });
    }
  }
}

async function syncBackendUsages(env: Env, service: Service, backends: Map<string, ResolvedBackend>): Promise<void> {
  const existing = await env.client.list<BackendUsage>(paths.backendUsages(service.id), 'backend_usages', 'backend_usage');
  const wanted = Object.entries(env.cr.spec.backendUsages ?? {}).flatMap(([name, usage]) => {
    const backend = backends.get(name);
    return backend ? [{ key: name, fields: { path: usage.path }, createOnly: { backend_api_id: backend.id } }] : [];
  });
  const nameOf = new Map([...backends.values()].map((b) => [b.id, b.systemName]));
  const items = existing.map((u) => ({ id: u.id, key: nameOf.get(u.backend_id) ?? `backend id ${u.backend_id}`, values: u }));
  await applyPlan(
    env.client,
    { collection: paths.backendUsages(service.id), item: paths.backendUsage(service.id), itemKey: 'backend_usage', noun: 'backend usage' },
    planCollection(wanted, items),
    env.writes,
  );
}

async function syncPolicies(env: Env, service: Service, chain: unknown[]): Promise<void> {
  const current = await env.client.get<{ policies_config?: unknown[] }>(paths.policies(service.id));
  if (policiesEqual(chain, current.policies_config ?? [])) return;
  await env.client.action('PUT', paths.policies(service.id), { policies_config: JSON.stringify(chain) });
  env.writes.add({ verb: 'updated', what: `policy chain of ${service.system_name}` });
}

/** Backend metric ids, read only for the backends that plan limits or prices name. */
async function backendMetricIds(client: ThreescaleClient, backend: ResolvedBackend): Promise<Map<string, number>> {
  const suffix = `.${backend.id}`;
  const strip = (name: string) => (name.endsWith(suffix) ? name.slice(0, -suffix.length) : name);
  const metrics = await client.list<Metric>(paths.backendMetrics(backend.id), 'metrics', 'metric');
  const ids = new Map(metrics.map((m) => [strip(m.system_name), m.id]));
  const hits = ids.get('hits');
  if (hits !== undefined && Object.keys(backend.spec.methods ?? {}).length > 0) {
    for (const m of await client.list<Metric>(paths.backendMethods(backend.id, hits), 'methods', 'method'))
      ids.set(strip(m.system_name), m.id);
  }
  return ids;
}

async function deployToStaging(env: Env, service: Service): Promise<number | undefined> {
  await env.client.action('POST', paths.deploy(service.id));
  env.writes.add({ verb: 'deployed', what: `${service.system_name} to staging` });
  const latest = await env.client.get<{ proxy_config?: ProxyConfig }>(paths.latestConfig(service.id, 'sandbox'));
  return latest.proxy_config?.version;
}

async function syncProduct(env: Env): Promise<SyncResult<ProductStatus>> {
  const { client, cr, writes } = env;
  const refs = resolveReferences(cr.spec, env.list<BackendSpec, BackendStatus>('Backend'));
  const policies = desiredPolicies(cr.spec, env.secret);
  const invalid = [...duplicateClaims(env), ...(refs.ok ? [] : refs.invalid), ...(policies.ok ? [] : policies.errors)];
  if (invalid.length > 0) return { outcome: 'invalid', problems: invalid };
  if (!refs.ok) return { outcome: 'orphan', reason: 'BackendNotSynced', message: `waiting for ${refs.waitingFor.join(', ')} to sync` };

  const service = await findOrCreate(env);
  await syncGatewaySettings(env, service);
  const metricIds = await syncMetricsAndRules(
    client,
    {
      metrics: paths.serviceMetrics(service.id),
      metric: paths.serviceMetric(service.id),
      methods: (hits) => paths.serviceMethods(service.id, hits),
      method: (hits) => paths.serviceMethod(service.id, hits),
      rules: paths.serviceRules(service.id),
      rule: paths.serviceRule(service.id),
    },
    cr.spec,
    writes,
  );
  await syncBackendUsages(env, service, refs.backends);
  if (policies.ok && policies.chain) await syncPolicies(env, service, policies.chain);

  const backendIds = new Map<string, Map<string, number>>();
  const planBackends = new Set(
    Object.values(cr.spec.applicationPlans ?? {})
      .flatMap((p) => [...(p.limits ?? []), ...(p.pricingRules ?? [])].map((x) => x.metricMethodRef.backend))
      .filter((b): b is string => b !== undefined),
  );
  for (const name of planBackends) {
    const backend = refs.backends.get(name);
    if (backend) backendIds.set(name, await backendMetricIds(client, backend));
  }
  await syncPlans(
    client,
    service.id,
    cr.spec.applicationPlans ?? {},
    (ref) => (ref.backend === undefined ? metricIds.get(ref.systemName) : backendIds.get(ref.backend)?.get(ref.systemName)),
    writes,
  );

  let staging = cr.status?.latestStagingVersion;
  if (writes.count > 0 || staging === undefined) staging = await deployToStaging(env, service);
  return {
    outcome: 'synced',
    status: { productId: service.id, state: service.state, ...(staging !== undefined ? { latestStagingVersion: staging } : {}) },
  };
}

async function cleanupProduct(env: CleanupEnv<ProductSpec, ProductStatus>): Promise<void> {
  const { productId: id, created } = env.cr.status ?? {};
  await deleteIfCreated(env.client, env.writes, { id, created, path: paths.service, what: `product ${productSystemName(env.cr.spec)}` });
}

export const productReconciler: CapabilityReconciler<ProductSpec, ProductStatus> = {
  kind: 'Product',
  dependsOn: ['Backend'],
  sync: syncProduct,
  cleanup: cleanupProduct,
};
