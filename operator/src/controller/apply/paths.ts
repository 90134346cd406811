// Dotted field paths of operator/ARCHITECTURE.md ("spec.template.spec.containers[*].resources",
// "spec.template.metadata.annotations.apps\.3scale\.net/redis-config-hash"): parsing, reading and
// copying only those fields from the desired object onto the live one. Pure functions.
import { desiredSatisfied } from './equality.js';

/** `each`: `[*]`, every element; `index`: `[N]`, one element. */
export type Segment = { key: string; each: boolean; index?: number };

/** Splits on unescaped dots; `\.` is a literal dot inside a key; a `[*]` suffix means "every list element". */
export function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (ch === '\\' && path[i + 1] === '.') {
      current += '.';
      i++;
      continue;
    }
    if (ch === '.') {
      segments.push(toSegment(current, path));
      current = '';
      continue;
    }
    current += ch;
  }
  segments.push(toSegment(current, path));
  return segments;
}

function toSegment(raw: string, path: string): Segment {
  const indexed = /^(.*)\[(\*|\d+)\]$/.exec(raw);
  const key = indexed ? indexed[1] : raw;
  if (key === '') throw new Error(`invalid field path "${path}": empty segment`);
  if (!indexed) return { key, each: false };
  return indexed[2] === '*' ? { key, each: true } : { key, each: false, index: Number(indexed[2]) };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Copies the value at `path` from `desired` into `live` (mutating `live`). List elements are matched by `name`
 * when they have one, else by index. When the desired and live lists differ in length they are replaced whole
 * (what the original does for a DC whose container count changed). Returns true when `live` changed.
 */
export function copyPath(live: Json, desired: Json, segments: Segment[]): boolean {
  const head = segments.at(0);
  const rest = segments.slice(1);
  if (!head) return false;
  const desiredValue = desired[head.key];
  if (head.index !== undefined) {
    const desiredList: unknown[] = Array.isArray(desiredValue) ? desiredValue : [];
    const liveList = Array.isArray(live[head.key]) ? (live[head.key] as unknown[]) : undefined;
    const desiredItem = desiredList.at(head.index);
    const liveItem = liveList?.at(head.index);
    // Element missing: create-time shape, not ours to invent.
    if (!liveList || !isObject(desiredItem) || !isObject(liveItem)) return false;
    if (rest.length === 0) {
      if (desiredSatisfied(desiredItem, liveItem)) return false;
      liveList[head.index] = structuredClone(desiredItem);
      return true;
    }
    return copyPath(liveItem, desiredItem, rest);
  }
  if (rest.length === 0 && !head.each) {
    if (desiredSatisfied(desiredValue, live[head.key])) return false;
    if (desiredValue === undefined) Reflect.deleteProperty(live, head.key);
    else live[head.key] = structuredClone(desiredValue);
    return true;
  }
  if (head.each) {
    const desiredList = Array.isArray(desiredValue) ? desiredValue : [];
    const liveList = Array.isArray(live[head.key]) ? (live[head.key] as unknown[]) : undefined;
    if (!liveList || liveList.length !== desiredList.length) {
      if (desiredSatisfied(desiredList, liveList)) return false;
      live[head.key] = structuredClone(desiredList);
      return true;
    }
    let changed = false;
    desiredList.forEach((desiredItem, index) => {
      const liveItem = matchItem(liveList, desiredItem, index);
      if (!isObject(desiredItem) || !isObject(liveItem)) return;
      if (rest.length === 0) return;
      changed = copyPath(liveItem, desiredItem, rest) || changed;
    });
    return changed;
  }
  if (!isObject(desiredValue)) {
    // The desired object has nothing below this point: the leaf must be absent on the live object too.
    const leafRemoved = isObject(live[head.key]) ? removePath(live[head.key] as Json, rest) : false;
    return leafRemoved;
  }
  if (!isObject(live[head.key])) live[head.key] = {};
  return copyPath(live[head.key] as Json, desiredValue, rest);
}

function matchItem(list: unknown[], desiredItem: unknown, index: number): unknown {
  if (isObject(desiredItem) && typeof desiredItem.name === 'string') {
    return list.find((item) => isObject(item) && item.name === desiredItem.name);
  }
  return list[index];
}

function removePath(live: Json, segments: Segment[]): boolean {
  const head = segments.at(0);
  const rest = segments.slice(1);
  if (!head || head.each) return false;
  if (rest.length === 0) {
    if (desiredSatisfied(undefined, live[head.key])) return false;
    Reflect.deleteProperty(live, head.key);
    return true;
  }
  return isObject(live[head.key]) ? removePath(live[head.key] as Json, rest) : false;
}

/** Reads the value at a path without `[*]` segments (e.g. an annotation). */
export function readPath(source: unknown, path: string): unknown {
  let value: unknown = source;
  for (const segment of parsePath(path)) {
    if (!isObject(value)) return undefined;
    value = value[segment.key];
  }
  return value;
}
