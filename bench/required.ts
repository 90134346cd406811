/**
 * Values a benchmark cannot go on without: a clear error naming what is missing instead of a
 * TypeError further down (a process that did not start has no pid; a setup's results are looked up by name).
 */
import type { ManagedProcess } from '../test/support/process.js';

export function pidOf(process: ManagedProcess, name = 'the process'): number {
  const pid = process.pid;
  if (pid === undefined) throw new Error(`${name} has no pid: it did not start`);
  return pid;
}

/** For maps whose values are never undefined. */
export function entryOf<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`nothing recorded for ${String(key)}`);
  return value;
}
