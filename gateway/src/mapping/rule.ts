/**
 * Mapping rules (gateway.md §4.4): compiled once when the configuration is
 * loaded, matched per request without allocating regexes.
 */
import type { MappingRuleJson } from '../config/types.js';
import type { Args } from '../http/args.js';
import { runsInLinearTime } from './regex-engine.js';

export interface CompiledMappingRule {
  readonly method: string;
  /** The configured pattern, verbatim (X-3scale-matched-rules). */
  readonly pattern: string;
  readonly regex: RegExp;
  readonly metric: string;
  readonly delta: number;
  readonly last: boolean;
  /** name → literal value, or null for "{placeholder}" (must be present). */
  readonly queryParameters: readonly (readonly [string, string | null])[];
  readonly ownerId: string | undefined;
  readonly ownerType: string | undefined;
}

export class MappingRuleError extends Error {}

const PLACEHOLDER = /\{[^}]+?\}/g;
const SEGMENT = "([\\w\\-.~%!$&'()*+,;=@:]+)";
const QUERY_PLACEHOLDER = /^\{[-\w_]+\}$/;

/** Pattern → RegExp source: collapse slashes, drop the query, placeholders to one segment, literal dots, anchored start. */
export function patternToRegexSource(pattern: string): string {
  let path = pattern.replace(/\/{2,}/g, '/');
  const q = path.indexOf('?');
  if (q >= 0) path = path.slice(0, q);
  // Split on placeholders so their replacement's own '.' is not escaped.
  const pieces = path.split(PLACEHOLDER).map((piece) => piece.replace(/\./g, '\\.'));
  return `^${pieces.join(SEGMENT)}`;
}

/** Throws MappingRuleError naming the problem (bad regex). */
export function compileRule(rule: MappingRuleJson): CompiledMappingRule {
  let regex: RegExp;
  const source = patternToRegexSource(rule.pattern);
  try {
    regex = new RegExp(source);
  } catch (error) {
    throw new MappingRuleError(`pattern "${rule.pattern}" is not a valid regular expression: ${(error as Error).message}`);
  }
  // Excessive backtracking falls back to V8's linear engine (./regex-engine.ts); what that engine cannot run
  // could backtrack without bound on a crafted path, so it is refused here.
  if (!runsInLinearTime(source)) {
    throw new MappingRuleError(`pattern "${rule.pattern}" uses backreferences or lookaround, which can take unbounded time on some paths`);
  }
  const delta = rule.delta === undefined || rule.delta === null || rule.delta === '' ? 0 : Number(rule.delta);
  return {
    method: rule.http_method,
    pattern: rule.pattern,
    regex,
    metric: rule.metric_system_name,
    delta: Number.isFinite(delta) ? Math.trunc(delta) : 0,
    last: rule.last === true,
    queryParameters: Object.entries(rule.querystring_parameters ?? {}).map(
      ([name, value]) => [name, QUERY_PLACEHOLDER.test(String(value)) ? null : String(value)] as const,
    ),
    ownerId: rule.owner_id === undefined || rule.owner_id === null ? undefined : String(rule.owner_id),
    ownerType: rule.owner_type ?? undefined,
  };
}

/** Does this rule match (method, escaped path, args)? */
export function ruleMatches(rule: CompiledMappingRule, method: string, escapedPath: string, args: Args | undefined): boolean {
  if (rule.method !== 'ANY' && rule.method !== method) return false;
  if (!rule.regex.test(escapedPath)) return false;
  for (const [name, value] of rule.queryParameters) {
    const actual = args?.getLast(name);
    if (actual === undefined) return false;
    if (value !== null && actual !== value) return false;
  }
  return true;
}
