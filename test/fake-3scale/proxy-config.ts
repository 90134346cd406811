/**
 * The proxy configuration a deploy freezes: the product as the gateway reads
 * it (gateway.md §3.2, validated by gateway/src/config/schema.ts), built
 * from the current state the way porta's ProxyConfig content is:
 * - the product's mapping rules, then each backend's rules with the usage
 *   path in front (a backend at `/v1` with rule `/items` → `/v1/items`);
 * - backend metrics named `<system_name>.<backend_id>` (porta's backend-side
 *   name, which is what the Service Management API knows them by);
 * - `proxy.hosts` = the production and staging endpoint hosts (the account
 *   endpoint's `host=` filter matches these);
 * - the policy chain with `apicast` (added if missing) and, when a backend
 *   is used at a path other than `/`, a `routing` policy before it that sends
 *   each path to its backend (porta's APIaP routing);
 * - `backend_version` '1' or '2' (an OIDC product is '2' with
 *   `proxy.authentication_method: "oidc"`, as porta exports it).
 */
import type { FakeSettings } from './router.js';
import type { BackendUsageRow, Environment, MappingRuleRow, MetricRow, ProxyConfigRow, ServiceRow, Tenant } from './state.js';

/** An entry of the content's `policy_chain`: the stored chain's enabled entries, a routing policy when a backend is at a path, apicast. */
export interface ChainEntryJson {
  name: string;
  version: string;
  enabled?: boolean;
  configuration: Record<string, unknown>;
}

/** The frozen content of a proxy config, as buildContent writes it. */
export type ProxyConfigContent = NonNullable<ReturnType<typeof buildContent>>;

function metricName(metric: MetricRow | undefined): string {
  if (!metric) return 'hits';
  return metric.owner_type === 'BackendApi' ? `${metric.system_name}.${metric.owner_id}` : metric.system_name;
}

function ruleJson(tenant: Tenant, rule: MappingRuleRow, pattern: string, owner: { id: number; type: string }) {
  return {
    id: rule.id,
    http_method: rule.http_method,
    pattern,
    metric_id: rule.metric_id,
    metric_system_name: metricName(tenant.metrics.get(rule.metric_id)),
    delta: rule.delta,
    position: rule.position,
    last: rule.last,
    owner_id: owner.id,
    owner_type: owner.type,
  };
}

/** `/v1` + `/items` → `/v1/items`; at `/` the pattern is unchanged. */
export function prefixed(path: string, pattern: string): string {
  return path === '/' ? pattern : `${path}${pattern}`;
}

const byPosition = (a: MappingRuleRow, b: MappingRuleRow) => a.position - b.position || a.id - b.id;
/** Longest path first, so `/v1/admin` wins over `/v1` and `/` comes last. */
const byPathLength = (a: BackendUsageRow, b: BackendUsageRow) => b.path.length - a.path.length || a.id - b.id;

function proxyRules(tenant: Tenant, service: ServiceRow, proxyId: number): ReturnType<typeof ruleJson>[] {
  const own = tenant.mappingRules
    .where((r) => r.owner_type === 'Service' && r.owner_id === service.id)
    .sort(byPosition)
    .map((r) => ruleJson(tenant, r, r.pattern, { id: proxyId, type: 'Proxy' }));
  const ofBackends = usagesOf(tenant, service).flatMap((usage) =>
    tenant.mappingRules
      .where((r) => r.owner_type === 'BackendApi' && r.owner_id === usage.backend_id)
      .sort(byPosition)
      .map((r) => ruleJson(tenant, r, prefixed(usage.path, r.pattern), { id: usage.backend_id, type: 'BackendApi' })),
  );
  return [...own, ...ofBackends];
}

function usagesOf(tenant: Tenant, service: ServiceRow): BackendUsageRow[] {
  return tenant.backendUsages.where((u) => u.service_id === service.id).sort(byPathLength);
}

function routingPolicy(tenant: Tenant, usages: BackendUsageRow[]): ChainEntryJson {
  const rules = usages.map((usage) => {
    const value = usage.path === '/' ? '^(/.*)' : `^(${usage.path}/.*|${usage.path}/?)`;
    return {
      url: tenant.backends.get(usage.backend_id)?.private_endpoint ?? '',
      owner_id: usage.backend_id,
      owner_type: 'BackendApi',
      condition: { operations: [{ match: 'path', op: 'matches', value }] },
      ...(usage.path === '/' ? {} : { replace_path: `{{original_request.path | remove_first: '${usage.path}'}}` }),
    };
  });
  return { name: 'routing', version: 'builtin', enabled: true, configuration: { rules } };
}

function policyChain(tenant: Tenant, service: ServiceRow): ChainEntryJson[] {
  const stored = tenant.policyChains.find((p) => p.service_id === service.id)?.chain ?? [];
  const chain: ChainEntryJson[] = stored
    .filter((p) => p.enabled === true)
    .map((p) => ({ name: p.name, version: p.version, configuration: p.configuration }));
  let apicast = chain.findIndex((p) => p.name === 'apicast');
  if (apicast < 0) apicast = chain.push({ name: 'apicast', version: 'builtin', configuration: {} }) - 1;
  const usages = usagesOf(tenant, service);
  if (usages.some((u) => u.path !== '/')) chain.splice(apicast, 0, routingPolicy(tenant, usages));
  return chain;
}

function hostOf(endpoint: string): string | undefined {
  try {
    return new URL(endpoint).hostname;
  } catch {
    return undefined;
  }
}

/** The upstream of requests no routing rule takes: the backend at `/`, else the proxy's own api_backend. */
function apiBackend(tenant: Tenant, service: ServiceRow, fallback: string | null): string | null {
  const root = tenant.backendUsages.find((u) => u.service_id === service.id && u.path === '/');
  return (root && tenant.backends.get(root.backend_id)?.private_endpoint) ?? fallback;
}

export function buildContent(tenant: Tenant, service: ServiceRow, settings: FakeSettings) {
  const proxy = tenant.proxies.find((p) => p.service_id === service.id);
  if (!proxy) return undefined;
  const hosts = [...new Set([hostOf(proxy.endpoint), hostOf(proxy.sandbox_endpoint)].filter((h): h is string => !!h))];
  const { id: proxyId, created_at: _c, updated_at: _u, lock_version: _l, ...proxyFields } = proxy;
  const oidc = service.backend_version === 'oidc';
  return {
    id: service.id,
    account_id: service.account_id,
    name: service.name,
    system_name: service.system_name,
    description: service.description,
    deployment_option: service.deployment_option,
    backend_version: oidc ? '2' : service.backend_version,
    backend_authentication_type: 'service_token',
    backend_authentication_value: service.service_token,
    proxy: {
      ...proxyFields,
      id: proxyId,
      hosts,
      api_backend: apiBackend(tenant, service, proxy.api_backend),
      backend: { endpoint: settings.backendEndpoint, host: hostOf(settings.backendEndpoint) ?? null },
      authentication_method: oidc ? 'oidc' : service.backend_version,
      proxy_rules: proxyRules(tenant, service, proxyId),
      policy_chain: policyChain(tenant, service),
    },
  };
}

export function latestConfig(tenant: Tenant, serviceId: number, environment: Environment): ProxyConfigRow | undefined {
  return tenant.proxyConfigs
    .where((c) => c.service_id === serviceId && c.environment === environment)
    .reduce<ProxyConfigRow | undefined>((newest, c) => (newest === undefined || c.version > newest.version ? c : newest), undefined);
}

/**
 * porta's ProxyDeploymentService: a new staging (sandbox) version only when
 * the content differs from the latest one, and none for a product without
 * an upstream (porta's `api_backend_exists` validation). Answers the new row
 * or undefined.
 */
export function deployToStaging(tenant: Tenant, service: ServiceRow, settings: FakeSettings): ProxyConfigRow | undefined {
  const content = buildContent(tenant, service, settings);
  if (!content) return undefined;
  const proxy = content.proxy;
  const hasUpstream = !!proxy.api_backend || tenant.backendUsages.find((u) => u.service_id === service.id) !== undefined;
  if (!hasUpstream) return undefined;
  const latest = latestConfig(tenant, service.id, 'sandbox');
  if (latest && JSON.stringify(latest.content) === JSON.stringify(content)) return undefined;
  return tenant.proxyConfigs.insert({
    service_id: service.id,
    environment: 'sandbox',
    version: (latest?.version ?? 0) + 1,
    content,
    hosts: proxy.hosts,
  });
}

/** porta's `clone_to`: the same version and content in the other environment; a version is there once (422 otherwise). */
export function promote(tenant: Tenant, config: ProxyConfigRow, to: Environment): ProxyConfigRow | 'taken' {
  if (tenant.proxyConfigs.find((c) => c.service_id === config.service_id && c.environment === to && c.version === config.version))
    return 'taken';
  return tenant.proxyConfigs.insert({
    service_id: config.service_id,
    environment: to,
    version: config.version,
    content: config.content,
    hosts: config.hosts,
  });
}
