// The comparison at the heart of every capabilities reconciler, pure: the items a CR wants in one 3scale
// collection (metrics of a backend, mapping rules of a product, limits of a plan, ...) against what 3scale
// returned, giving the writes that make them equal. Only differing fields are sent; an item equal in every field
// the CR sets is left alone, so a resync with no drift plans nothing.
import type { Fields, FormValue } from '../threescale/client.js';

export interface DesiredItem {
  /** Identity inside the collection (system_name, "GET /path", "metricId/period", ...). */
  key: string;
  fields: Fields;
  /** Sent on create only (system_name cannot change; a parent id). */
  createOnly?: Fields;
}

export interface ExistingItem {
  id: number;
  key: string;
  values: Record<string, unknown>;
}

export interface CollectionPlan {
  create: DesiredItem[];
  update: { id: number; key: string; fields: Fields }[];
  remove: { id: number; key: string }[];
}

/** `String(value)` for what 3scale answers (JSON): scalars as written, a list as its joined elements, an object as `[object Object]`. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.join(',');
  return Object.prototype.toString.call(value);
}

/** 3scale answers numbers as numbers or strings and decimals as "10.0": compare what they mean. */
export function sameValue(wanted: FormValue, actual: unknown): boolean {
  if (wanted === undefined) return true;
  if (actual === undefined || actual === null) return wanted === '';
  if (typeof wanted === 'boolean') return asText(actual) === String(wanted);
  const a = asText(actual);
  const w = String(wanted);
  if (a === w) return true;
  const numeric = /^-?\d+(\.\d+)?$/;
  if (numeric.test(a) && numeric.test(w)) return Number(a) === Number(w);
  // 3scale stores endpoints with their port ("https://x" comes back as "https://x:443").
  return sameUrl(w, a);
}

function sameUrl(wanted: string, actual: string): boolean {
  if (!/^https?:\/\//i.test(wanted) || !/^https?:\/\//i.test(actual)) return false;
  try {
    const normal = (u: string) => {
      const url = new URL(u);
      return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}${url.search}`;
    };
    return normal(wanted) === normal(actual);
  } catch {
    return false;
  }
}

export function changedFields(wanted: Fields, actual: Record<string, unknown>): Fields {
  const changed: Fields = {};
  for (const [name, value] of Object.entries(wanted)) if (!sameValue(value, actual[name])) changed[name] = value;
  return changed;
}

/**
 * `keep` marks existing items the CR does not manage (the built-in hits metric, another CR's items): they are
 * never removed. Duplicated keys on the 3scale side (two rules alike) keep the first and remove the rest.
 */
export function planCollection(
  desired: readonly DesiredItem[],
  existing: readonly ExistingItem[],
  keep: (item: ExistingItem) => boolean = () => false,
): CollectionPlan {
  const plan: CollectionPlan = { create: [], update: [], remove: [] };
  const byKey = new Map<string, ExistingItem>();
  for (const item of existing) {
    if (byKey.has(item.key)) {
      if (!keep(item)) plan.remove.push({ id: item.id, key: item.key });
      continue;
    }
    byKey.set(item.key, item);
  }
  const wanted = new Set<string>();
  for (const item of desired) {
    wanted.add(item.key);
    const current = byKey.get(item.key);
    if (!current) {
      plan.create.push(item);
      continue;
    }
    const fields = changedFields(item.fields, current.values);
    if (Object.keys(fields).length > 0) plan.update.push({ id: current.id, key: item.key, fields });
  }
  for (const item of byKey.values()) if (!wanted.has(item.key) && !keep(item)) plan.remove.push({ id: item.id, key: item.key });
  return plan;
}

export const isEmptyPlan = (plan: CollectionPlan): boolean => plan.create.length + plan.update.length + plan.remove.length === 0;
