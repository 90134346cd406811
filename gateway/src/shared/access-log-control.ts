/**
 * How the logging policy (policies.md §5.19) talks to the access log writer
 * (src/http/handle.ts): per request, through request-local `ctx.shared`
 * keys. The writer should skip its default line when
 * `defaultAccessLogSuppressed(ctx)` and write each `extraAccessLogLines(ctx)`
 * line (raw, plus "\n") to the access log.
 */
import type { PolicyContext } from '../chain/policy.js';

const SUPPRESS = 'access_log_suppress_default';
const EXTRA = 'access_log_extra_lines';

export function suppressDefaultAccessLog(ctx: PolicyContext): void {
  ctx.shared[SUPPRESS] = true;
}

export function addAccessLogLine(ctx: PolicyContext, line: string): void {
  const lines = (ctx.shared[EXTRA] as string[] | undefined) ?? [];
  lines.push(line);
  ctx.shared[EXTRA] = lines;
}

export function defaultAccessLogSuppressed(ctx: PolicyContext): boolean {
  return ctx.shared[SUPPRESS] === true;
}

export function extraAccessLogLines(ctx: PolicyContext): readonly string[] {
  return (ctx.shared[EXTRA] as string[] | undefined) ?? [];
}
