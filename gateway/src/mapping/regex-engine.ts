/**
 * Bounded regular-expression matching for mapping-rule patterns, whose regex
 * syntax comes from the user (gateway.md §4.4). JavaScript's backtracking
 * engine has no match limit (PCRE has one), so a pattern like `(a|a)*$` or
 * `(a+)+$` would stall a worker on a crafted path. V8 ships a linear-time
 * engine: with these flags a regex that backtracks excessively is re-run on
 * it (same result, linear time). Patterns it cannot run (backreferences,
 * lookaround) are rejected at load instead (see `runsInLinearTime`).
 * The flags are process-wide and set before any pattern is compiled: this
 * module is imported by the rule compiler.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--enable-experimental-regexp-engine');
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** True when V8's linear-time engine accepts the source (the `l` flag compiles). */
export function runsInLinearTime(source: string): boolean {
  try {
    // eslint-disable-next-line no-invalid-regexp -- `l` is V8's linear-time engine flag, enabled by the flags above
    new RegExp(source, 'l');
    return true;
  } catch {
    return false;
  }
}
