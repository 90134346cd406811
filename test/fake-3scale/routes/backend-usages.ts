/**
 * Backend usages (porta's BackendApiConfig): a product uses a backend at a
 * path. The backend must exist in the tenant (404 otherwise, as porta's
 * `find`); a path is used once per product and a backend once per product (422).
 * Only `path` can change. The list is a bare JSON array, as porta answers it.
 */
import { unwrap } from '../body.js';
import { integer, text, checked } from '../fields.js';
import { paginate } from '../paging.js';
import { created, deleted, FieldErrors, notFound, ok } from '../reply.js';
import { found, idParam, missing, type AdminContext, type Router } from '../router.js';
import type { BackendUsageRow, Tenant } from '../state.js';

export function presentUsage(row: BackendUsageRow) {
  return {
    id: row.id,
    path: row.path,
    service_id: row.service_id,
    backend_id: row.backend_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** porta keeps paths as `/segment` without a trailing slash (`/` stays `/`). */
function normalizePath(raw: string | undefined): string {
  const path = `/${(raw ?? '').replace(/^\/+|\/+$/g, '')}`;
  return path;
}

function checkPath(tenant: Tenant, errors: FieldErrors, serviceId: number, path: string, selfId: number | undefined): void {
  if (!/^\/[\w\-~.%!$&'()*+,;=:@/]*$/.test(path)) errors.add('path', 'is invalid');
  if (tenant.backendUsages.find((u) => u.service_id === serviceId && u.path === path && u.id !== selfId))
    errors.add('path', 'has already been taken');
}

export function addBackendUsageRoutes(router: Router<AdminContext>): void {
  const base = '/admin/api/services/:service_id/backend_usages';
  const serviceOf = (c: AdminContext) => found(c.tenant.services.get(idParam(c, 'service_id')));
  const usageOf = (c: AdminContext) => {
    const service = serviceOf(c);
    const usage = found(c.tenant.backendUsages.get(idParam(c, 'usage_id')));
    return usage.service_id === service.id ? usage : missing();
  };
  router
    .add('GET', `${base}.json`, (c) => {
      const service = serviceOf(c);
      const rows = c.tenant.backendUsages.where((u) => u.service_id === service.id);
      // porta answers this list as a bare array (porta-go-client's BackendAPIUsageList), unlike every other list.
      return ok(paginate(rows, c.query).map((usage) => ({ backend_usage: presentUsage(usage) })));
    })
    .add('POST', `${base}.json`, (c) => {
      const service = serviceOf(c);
      const body = unwrap(c.body, 'backend_usage');
      const errors = new FieldErrors();
      const backendId = integer(body, 'backend_api_id', errors);
      if (backendId === undefined) errors.add('backend_api_id', "can't be blank");
      errors.throwIfAny();
      if (!c.tenant.backends.get(checked(backendId, 'backend_id'))) throw notFound();
      const path = normalizePath(text(body, 'path'));
      checkPath(c.tenant, errors, service.id, path, undefined);
      if (c.tenant.backendUsages.find((u) => u.service_id === service.id && u.backend_id === backendId))
        errors.add('backend_api_id', 'has already been taken');
      errors.throwIfAny();
      return created({
        backend_usage: presentUsage(
          c.tenant.backendUsages.insert({ service_id: service.id, backend_id: checked(backendId, 'backend_id'), path }),
        ),
      });
    })
    .add('GET', `${base}/:usage_id.json`, (c) => ok({ backend_usage: presentUsage(usageOf(c)) }))
    .add('PUT', `${base}/:usage_id.json`, (c) => {
      const usage = usageOf(c);
      const raw = text(unwrap(c.body, 'backend_usage'), 'path');
      if (raw === undefined) return ok({ backend_usage: presentUsage(usage) });
      const path = normalizePath(raw);
      const errors = new FieldErrors();
      checkPath(c.tenant, errors, usage.service_id, path, usage.id);
      errors.throwIfAny();
      return ok({ backend_usage: presentUsage(c.tenant.backendUsages.update(usage.id, { path })) });
    })
    .add('DELETE', `${base}/:usage_id.json`, (c) => {
      c.tenant.backendUsages.delete(usageOf(c).id);
      return deleted();
    });
}
