/**
 * Metrics and their methods, of a backend or of a product (same table, same
 * rules): friendly_name required, unit required on metrics, system_name
 * derived from friendly_name when missing and unique among the parent's
 * metrics and methods. system_name cannot change after create (porta ignores it).
 */
import { unwrap } from '../body.js';
import { deleteMetric } from '../cascade.js';
import { defined, systemNameOf, text, checked } from '../fields.js';
import { ownedBy, type OwnerOf } from '../owners.js';
import { listOf, paginate } from '../paging.js';
import { created, deleted, FieldErrors, ok } from '../reply.js';
import { found, idParam, missing, type AdminContext, type Router } from '../router.js';
import type { MetricRow, Owner } from '../state.js';

export function presentMetric(row: MetricRow) {
  return {
    id: row.id,
    name: row.system_name,
    system_name: row.system_name,
    friendly_name: row.friendly_name,
    unit: row.unit,
    description: row.description,
    ...(row.parent_id !== null ? { parent_id: row.parent_id } : {}),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function metricOf(context: AdminContext, owner: Owner, param: string, parentId: number | null): MetricRow {
  const metric = found(context.tenant.metrics.get(idParam(context, param)));
  if (!ownedBy(owner)(metric) || metric.parent_id !== parentId) missing();
  return metric;
}

function createMetric(context: AdminContext, owner: Owner, parentId: number | null): MetricRow {
  const body = unwrap(context.body, parentId === null ? 'metric' : 'method');
  const errors = new FieldErrors();
  const friendlyName = text(body, 'friendly_name') ?? text(body, 'name');
  if (!friendlyName) errors.add('friendly_name', "can't be blank");
  const systemName = text(body, 'system_name') || systemNameOf(friendlyName ?? '');
  const unit = text(body, 'unit') ?? (parentId === null ? undefined : 'hit');
  if (!unit) errors.add('unit', "can't be blank");
  if (systemName && context.tenant.metrics.find((m) => ownedBy(owner)(m) && m.system_name === systemName)) {
    errors.add('system_name', 'has already been taken');
  }
  errors.throwIfAny();
  return context.tenant.metrics.insert({
    ...owner,
    parent_id: parentId,
    system_name: systemName,
    friendly_name: checked(friendlyName, 'friendly_name'),
    unit: checked(unit, 'unit'),
    description: text(body, 'description') ?? null,
  });
}

function updateMetric(context: AdminContext, metric: MetricRow, wrapper: string): MetricRow {
  const body = unwrap(context.body, wrapper);
  const errors = new FieldErrors();
  const friendlyName = text(body, 'friendly_name') ?? text(body, 'name');
  if (friendlyName === '') errors.add('friendly_name', "can't be blank");
  if (text(body, 'unit') === '') errors.add('unit', "can't be blank");
  errors.throwIfAny();
  return context.tenant.metrics.update(
    metric.id,
    defined({
      friendly_name: friendlyName,
      unit: text(body, 'unit'),
      description: text(body, 'description'),
    }),
  );
}

/** `base` is `/admin/api/backend_apis/:backend_id` or `/admin/api/services/:service_id`. */
export function addMetricRoutes(router: Router<AdminContext>, base: string, ownerOf: OwnerOf): void {
  router
    .add('GET', `${base}/metrics.json`, (c) => {
      const owner = ownerOf(c);
      const rows = c.tenant.metrics.where((m) => ownedBy(owner)(m));
      return ok(listOf('metrics', 'metric', paginate(rows, c.query).map(presentMetric)));
    })
    .add('POST', `${base}/metrics.json`, (c) => created({ metric: presentMetric(createMetric(c, ownerOf(c), null)) }))
    .add('GET', `${base}/metrics/:metric_id.json`, (c) => ok({ metric: presentMetric(metricOf(c, ownerOf(c), 'metric_id', null)) }))
    .add('PUT', `${base}/metrics/:metric_id.json`, (c) =>
      ok({ metric: presentMetric(updateMetric(c, metricOf(c, ownerOf(c), 'metric_id', null), 'metric')) }),
    )
    .add('DELETE', `${base}/metrics/:metric_id.json`, (c) => {
      deleteMetric(c.tenant, metricOf(c, ownerOf(c), 'metric_id', null).id);
      return deleted();
    })
    .add('GET', `${base}/metrics/:metric_id/methods.json`, (c) => {
      const parent = metricOf(c, ownerOf(c), 'metric_id', null);
      const rows = c.tenant.metrics.where((m) => m.parent_id === parent.id);
      return ok(listOf('methods', 'method', paginate(rows, c.query).map(presentMetric)));
    })
    .add('POST', `${base}/metrics/:metric_id/methods.json`, (c) => {
      const owner = ownerOf(c);
      const parent = metricOf(c, owner, 'metric_id', null);
      return created({ method: presentMetric(createMetric(c, owner, parent.id)) });
    })
    .add('GET', `${base}/metrics/:metric_id/methods/:method_id.json`, (c) => {
      const owner = ownerOf(c);
      const parent = metricOf(c, owner, 'metric_id', null);
      return ok({ method: presentMetric(metricOf(c, owner, 'method_id', parent.id)) });
    })
    .add('PUT', `${base}/metrics/:metric_id/methods/:method_id.json`, (c) => {
      const owner = ownerOf(c);
      const parent = metricOf(c, owner, 'metric_id', null);
      return ok({ method: presentMetric(updateMetric(c, metricOf(c, owner, 'method_id', parent.id), 'method')) });
    })
    .add('DELETE', `${base}/metrics/:metric_id/methods/:method_id.json`, (c) => {
      const owner = ownerOf(c);
      const parent = metricOf(c, owner, 'metric_id', null);
      deleteMetric(c.tenant, metricOf(c, owner, 'method_id', parent.id).id);
      return deleted();
    });
}
