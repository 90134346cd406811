// Carries out a CollectionPlan against one 3scale collection, logging each write. Creates go first, then updates,
// then removals, so a rule that moves between metrics is never missing in between.
import type { Fields, ThreescaleClient } from '../threescale/client.js';
import type { CollectionPlan } from './collection.js';
import type { WriteLog } from './writes.js';

export interface CollectionPaths {
  /** POST target, e.g. /admin/api/backend_apis/7/metrics.json */
  collection: string;
  item: (id: number) => string;
  itemKey: string;
  /** Words for the Event: "metric", "mapping rule". */
  noun: string;
  updateMethod?: 'PUT' | 'PATCH';
}

export async function applyPlan(
  client: ThreescaleClient,
  paths: CollectionPaths,
  plan: CollectionPlan,
  log: WriteLog,
): Promise<Map<string, number>> {
  const created = new Map<string, number>();
  for (const item of plan.create) {
    const fields: Fields = { ...item.createOnly, ...item.fields };
    const result = await client.create<{ id: number }>(paths.collection, paths.itemKey, fields);
    created.set(item.key, result.id);
    log.add({ verb: 'created', what: `${paths.noun} ${item.key}` });
  }
  for (const item of plan.update) {
    await client.update(paths.item(item.id), paths.itemKey, item.fields, paths.updateMethod ?? 'PUT');
    log.add({ verb: 'updated', what: `${paths.noun} ${item.key}`, fields: Object.keys(item.fields) });
  }
  for (const item of plan.remove) {
    await client.delete(paths.item(item.id));
    log.add({ verb: 'deleted', what: `${paths.noun} ${item.key}` });
  }
  return created;
}
