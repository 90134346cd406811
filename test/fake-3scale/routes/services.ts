/**
 * Products (`services`): name required, system_name derived and unique in
 * the tenant, deployment_option hosted|self_managed, backend_version
 * 1|2|oidc. A new product gets, as in porta, its `hits` metric, a proxy with
 * porta's defaults, a `GET /` mapping rule on hits, the default `apicast`
 * policy chain, an OIDC configuration and a service token. Deleting one deletes everything under it, proxy configs included.
 */
import { randomBytes } from 'node:crypto';
import { unwrap, type Fields } from '../body.js';
import { deleteService } from '../cascade.js';
import { defined, oneOf, systemNameOf, text, checkSystemName, checked } from '../fields.js';
import { serviceOwner } from '../owners.js';
import { listOf, paginate } from '../paging.js';
import { created, deleted, FieldErrors, ok } from '../reply.js';
import { found, idParam, type AdminContext, type Router } from '../router.js';
import { APICAST_POLICY, type BackendVersion, type ServiceRow, type Tenant } from '../state.js';
import { addHitsMetric } from './backends.js';
import { addMappingRuleRoutes } from './mapping-rules.js';
import { addMetricRoutes } from './metrics.js';
import { defaultProxy } from './proxy.js';

export function presentService(row: ServiceRow) {
  return {
    id: row.id,
    account_id: row.account_id,
    name: row.name,
    system_name: row.system_name,
    description: row.description,
    deployment_option: row.deployment_option,
    backend_version: row.backend_version,
    state: row.state,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function readService(tenant: Tenant, body: Fields, existing: ServiceRow | undefined): Partial<ServiceRow> {
  const errors = new FieldErrors();
  const name = text(body, 'name');
  if (existing === undefined ? !name : name === '') errors.add('name', "can't be blank");
  let systemName: string | undefined;
  if (existing === undefined) {
    systemName = text(body, 'system_name') || systemNameOf(name ?? '');
    checkSystemName(errors, systemName);
    if (systemName && tenant.services.find((s) => s.system_name === systemName)) errors.add('system_name', 'has already been taken');
  }
  const fields = defined({
    name,
    system_name: systemName,
    description: text(body, 'description'),
    deployment_option: oneOf(body, 'deployment_option', ['hosted', 'self_managed'], errors),
    backend_version: oneOf<BackendVersion>(body, 'backend_version', ['1', '2', 'oidc'], errors),
  });
  errors.throwIfAny();
  return fields;
}

function createService(context: AdminContext): ServiceRow {
  const { tenant } = context;
  const fields = readService(tenant, unwrap(context.body, 'service'), undefined);
  const row = tenant.services.insert({
    name: checked(fields.name, 'name'),
    system_name: checked(fields.system_name, 'system_name'),
    description: fields.description ?? null,
    deployment_option: fields.deployment_option ?? 'hosted',
    backend_version: fields.backend_version ?? '1',
    state: 'incomplete',
    account_id: tenant.id,
    service_token: randomBytes(32).toString('hex'),
  });
  const hits = addHitsMetric(tenant, 'Service', row.id);
  tenant.proxies.insert(defaultProxy(context.settings, tenant, row));
  // porta's Proxy#create_default_proxy_rule: every new product counts `GET /` on hits until told otherwise.
  tenant.mappingRules.insert({
    owner_type: 'Service',
    owner_id: row.id,
    http_method: 'GET',
    pattern: '/',
    delta: 1,
    metric_id: hits.id,
    position: 1,
    last: false,
  });
  tenant.policyChains.insert({ service_id: row.id, chain: [{ ...APICAST_POLICY }] });
  // porta builds a missing OIDC configuration with standard_flow_enabled: true.
  tenant.oidcConfigurations.insert({
    service_id: row.id,
    standard_flow_enabled: true,
    implicit_flow_enabled: false,
    service_accounts_enabled: false,
    direct_access_grants_enabled: false,
  });
  return row;
}

export function addServiceRoutes(router: Router<AdminContext>): void {
  const base = '/admin/api/services/:service_id';
  const serviceOf = (c: AdminContext) => found(c.tenant.services.get(idParam(c, 'service_id')));
  router
    .add('GET', '/admin/api/services.json', (c) =>
      ok(listOf('services', 'service', paginate(c.tenant.services.all(), c.query).map(presentService))),
    )
    .add('POST', '/admin/api/services.json', (c) => created({ service: presentService(createService(c)) }))
    .add('GET', `${base}.json`, (c) => ok({ service: presentService(serviceOf(c)) }))
    .add('PUT', `${base}.json`, (c) => {
      const service = serviceOf(c);
      const fields = readService(c.tenant, unwrap(c.body, 'service'), service);
      return ok({ service: presentService(c.tenant.services.update(service.id, fields)) });
    })
    .add('DELETE', `${base}.json`, (c) => {
      deleteService(c.tenant, serviceOf(c).id);
      return deleted();
    });
  addMetricRoutes(router, base, serviceOwner);
  addMappingRuleRoutes(router, `${base}/proxy`, serviceOwner);
}
