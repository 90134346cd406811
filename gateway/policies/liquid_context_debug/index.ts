/**
 * liquid_context_debug (policies.md §5.18), content: answers 200 with the
 * Liquid-visible context as JSON. Only string/number values and tables are
 * kept; a table seen twice is replaced by a marker (circular references).
 */
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { HeadersDrop, liquidScope } from '../../src/shared/liquid/index.js';
import type { LiquidContextDebugConfig } from './config.generated.js';

const ALREADY_SEEN = { already_seen: 'ALREADY SEEN - NOT CALCULATING AGAIN TO AVOID CIRCULAR REFS' };

export function debugValue(value: unknown, seen: Set<object>): unknown {
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return value;
  if (value === null || typeof value !== 'object') return undefined;
  if (seen.has(value)) return ALREADY_SEEN;
  seen.add(value);
  const source = value instanceof HeadersDrop ? value.toJSON() : value;
  if (Array.isArray(source)) return source.map((v) => debugValue(v, seen) ?? null);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) {
    const converted = debugValue(v, seen);
    if (converted !== undefined) out[k] = converted;
  }
  return out;
}

const factory: PolicyFactory<LiquidContextDebugConfig> = () => ({
  content(ctx: PolicyContext) {
    const body = JSON.stringify(debugValue(liquidScope(ctx), new Set()));
    ctx.exit(200, { body, headers: { 'Content-Type': 'application/json' } });
  },
});

export default factory;
