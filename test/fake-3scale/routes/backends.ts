/**
 * Backends (`backend_apis`): name and private_endpoint required (an http(s)
 * URL, stored with its port as porta does), system_name derived and unique in
 * the tenant, a `hits` metric made
 * with each. A backend some product still uses cannot be deleted (422).
 */
import { unwrap, type Fields } from '../body.js';
import { deleteBackend } from '../cascade.js';
import { defined, systemNameOf, text, checkSystemName, checked } from '../fields.js';
import { backendOwner } from '../owners.js';
import { listOf, paginate } from '../paging.js';
import { created, deleted, FieldErrors, invalid, ok } from '../reply.js';
import { found, idParam, type AdminContext, type Router } from '../router.js';
import type { BackendRow, MetricRow, Tenant } from '../state.js';
import { withExplicitPort } from '../urls.js';
import { addMappingRuleRoutes } from './mapping-rules.js';
import { addMetricRoutes } from './metrics.js';

export function presentBackend(row: BackendRow) {
  return {
    id: row.id,
    name: row.name,
    system_name: row.system_name,
    description: row.description,
    private_endpoint: row.private_endpoint,
    account_id: row.account_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** porta accepts http, https, ws and wss private endpoints. */
export function checkEndpoint(errors: FieldErrors, field: string, value: string | undefined, required: boolean): void {
  if (value === undefined || value === '') {
    if (required) errors.add(field, "can't be blank");
    return;
  }
  try {
    const url = new URL(value);
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) errors.add(field, 'Protocol must be http, https, ws or wss');
  } catch {
    errors.add(field, 'is invalid');
  }
}

/** The `hits` metric porta gives every new backend and product. */
export function addHitsMetric(tenant: Tenant, owner_type: 'BackendApi' | 'Service', owner_id: number): MetricRow {
  return tenant.metrics.insert({
    owner_type,
    owner_id,
    parent_id: null,
    system_name: 'hits',
    friendly_name: 'Hits',
    unit: 'hit',
    description: 'Number of API hits',
  });
}

function readBackend(tenant: Tenant, body: Fields, existing: BackendRow | undefined): Partial<BackendRow> {
  const errors = new FieldErrors();
  const name = text(body, 'name');
  if (existing === undefined ? !name : name === '') errors.add('name', "can't be blank");
  const endpoint = text(body, 'private_endpoint');
  checkEndpoint(errors, 'private_endpoint', endpoint, existing === undefined || endpoint !== undefined);
  let systemName: string | undefined;
  if (existing === undefined) {
    systemName = text(body, 'system_name') || systemNameOf(name ?? '');
    checkSystemName(errors, systemName);
    if (systemName && tenant.backends.find((b) => b.system_name === systemName)) errors.add('system_name', 'has already been taken');
  }
  errors.throwIfAny();
  return defined({
    name,
    system_name: systemName,
    description: text(body, 'description'),
    private_endpoint: endpoint && withExplicitPort(endpoint),
  });
}

export function addBackendRoutes(router: Router<AdminContext>): void {
  const base = '/admin/api/backend_apis/:backend_id';
  const backendOf = (c: AdminContext) => found(c.tenant.backends.get(idParam(c, 'backend_id')));
  router
    .add('GET', '/admin/api/backend_apis.json', (c) =>
      ok(listOf('backend_apis', 'backend_api', paginate(c.tenant.backends.all(), c.query).map(presentBackend))),
    )
    .add('POST', '/admin/api/backend_apis.json', (c) => {
      const fields = readBackend(c.tenant, unwrap(c.body, 'backend_api'), undefined);
      const row = c.tenant.backends.insert({
        name: checked(fields.name, 'name'),
        system_name: checked(fields.system_name, 'system_name'),
        description: fields.description ?? null,
        private_endpoint: checked(fields.private_endpoint, 'private_endpoint'),
        account_id: c.tenant.id,
      });
      addHitsMetric(c.tenant, 'BackendApi', row.id);
      return created({ backend_api: presentBackend(row) });
    })
    .add('GET', `${base}.json`, (c) => ok({ backend_api: presentBackend(backendOf(c)) }))
    .add('PUT', `${base}.json`, (c) => {
      const backend = backendOf(c);
      const fields = readBackend(c.tenant, unwrap(c.body, 'backend_api'), backend);
      return ok({ backend_api: presentBackend(c.tenant.backends.update(backend.id, fields)) });
    })
    .add('DELETE', `${base}.json`, (c) => {
      const backend = backendOf(c);
      if (c.tenant.backendUsages.find((u) => u.backend_id === backend.id)) {
        throw invalid({ base: ['cannot be deleted because it is used by at least one Product'] });
      }
      deleteBackend(c.tenant, backend.id);
      return deleted();
    });
  addMetricRoutes(router, base, backendOwner);
  addMappingRuleRoutes(router, base, backendOwner);
}
