/**
 * Proxy configs, what gateways load (gateway.md §2.2): per product list,
 * latest, one version and promote; by host (`/admin/api/services/proxy/configs`);
 * and the account endpoint our gateway's remote-v2 loader pages through.
 * `staging` is porta's alias of `sandbox` (configs are shown as `sandbox`);
 * any other environment is 400 `{"error":"invalid environment"}`.
 */
import { text } from '../fields.js';
import { latestConfig, promote } from '../proxy-config.js';
import { listOf, paginate } from '../paging.js';
import { badRequest, created, invalid, ok } from '../reply.js';
import { found, idParam, type AdminContext, type Router } from '../router.js';
import type { Environment, ProxyConfigRow, Tenant } from '../state.js';

export function environmentOf(raw: string | undefined): Environment {
  if (raw === 'staging' || raw === 'sandbox') return 'sandbox';
  if (raw === 'production') return 'production';
  throw badRequest('invalid environment');
}

export function presentConfig(row: ProxyConfigRow) {
  return {
    id: row.id,
    version: row.version,
    environment: row.environment,
    content: row.content,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Each product's newest config of the environment (porta's `current_versions`). */
function currentVersions(tenant: Tenant, environment: Environment): ProxyConfigRow[] {
  return tenant.services
    .all()
    .map((s) => latestConfig(tenant, s.id, environment))
    .filter((c): c is ProxyConfigRow => c !== undefined)
    .sort((a, b) => a.id - b.id);
}

/** porta's `by_version`: `latest` = each product's newest, a number = that version, none = every version. */
function accountConfigs(context: AdminContext, environment: Environment): ProxyConfigRow[] {
  const version = context.query.get('version');
  const host = context.query.get('host');
  const rows =
    version === 'latest'
      ? currentVersions(context.tenant, environment)
      : context.tenant.proxyConfigs.where((c) => c.environment === environment && (version === null || String(c.version) === version));
  return host ? rows.filter((c) => c.hosts.includes(host)) : rows;
}

export function addProxyConfigRoutes(router: Router<AdminContext>): void {
  const base = '/admin/api/services/:service_id/proxy/configs/:environment';
  const serviceOf = (c: AdminContext) => found(c.tenant.services.get(idParam(c, 'service_id')));
  const configsOf = (c: AdminContext) => {
    const service = serviceOf(c);
    const environment = environmentOf(c.params.environment);
    return c.tenant.proxyConfigs.where((p) => p.service_id === service.id && p.environment === environment);
  };
  const versionOf = (c: AdminContext) => found(configsOf(c).find((p) => String(p.version) === c.params.version));
  router
    // Before the per-product routes: `proxy` is not a service id.
    .add('GET', '/admin/api/services/proxy/configs/:environment.json', (c) => {
      const environment = environmentOf(c.params.environment);
      const host = c.query.get('host');
      if (!host) throw badRequest('param is missing or the value is empty: host');
      const rows = currentVersions(c.tenant, environment).filter((p) => p.hosts.includes(host));
      return ok(listOf('proxy_configs', 'proxy_config', rows.map(presentConfig)));
    })
    .add('GET', '/admin/api/account/proxy_configs/:environment.json', (c) => {
      const rows = accountConfigs(c, environmentOf(c.params.environment));
      return ok(listOf('proxy_configs', 'proxy_config', paginate(rows, c.query).map(presentConfig)));
    })
    .add('GET', `${base}.json`, (c) => ok(listOf('proxy_configs', 'proxy_config', configsOf(c).map(presentConfig))))
    .add('GET', `${base}/latest.json`, (c) => {
      const newest = configsOf(c).reduce<ProxyConfigRow | undefined>(
        (n, p) => (n === undefined || p.version > n.version ? p : n),
        undefined,
      );
      return ok({ proxy_config: presentConfig(found(newest)) });
    })
    .add('GET', `${base}/:version.json`, (c) => ok({ proxy_config: presentConfig(versionOf(c)) }))
    .add('POST', `${base}/:version/promote.json`, (c) => {
      const to = c.query.get('to') ?? text(c.body, 'to');
      if (!to) throw badRequest('param is missing or the value is empty: to');
      const config = versionOf(c);
      const result = promote(c.tenant, config, environmentOf(to));
      if (result === 'taken') throw invalid({ version: ['has already been taken'] });
      return created({ proxy_config: presentConfig(result) });
    });
}
