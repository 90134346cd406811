/**
 * Usage accumulation over mapping rules (gateway.md §4.4): every matching rule
 * adds its delta, in configuration order, until a matching rule has `last`.
 */
import type { Args } from '../http/args.js';
import { Usage } from './usage.js';
import { ruleMatches, type CompiledMappingRule } from './rule.js';
import { indexFor } from './index.js';

/** Below this many rules a plain scan is cheaper than the trie walk. */
const INDEX_THRESHOLD = 16;

function candidatesOf(rules: readonly CompiledMappingRule[], escapedPath: string): readonly CompiledMappingRule[] {
  return rules.length < INDEX_THRESHOLD ? rules : indexFor(rules).candidates(escapedPath);
}

export interface MatchResult {
  usage: Usage;
  matched: CompiledMappingRule[];
}

/** `args` is only consulted by rules with querystring_parameters; pass a thunk result computed once. */
export function matchRules(
  rules: readonly CompiledMappingRule[],
  method: string,
  escapedPath: string,
  args: Args | undefined,
): MatchResult {
  const usage = new Usage();
  const matched: CompiledMappingRule[] = [];
  for (const rule of candidatesOf(rules, escapedPath)) {
    if (!ruleMatches(rule, method, escapedPath, args)) continue;
    usage.add(rule.metric, rule.delta);
    matched.push(rule);
    if (rule.last) break;
  }
  return { usage, matched };
}

/** True when any rule matches (path routing, gateway.md §4.1). */
export function anyRuleMatches(
  rules: readonly CompiledMappingRule[],
  method: string,
  escapedPath: string,
  args: Args | undefined,
): boolean {
  for (const rule of candidatesOf(rules, escapedPath)) if (ruleMatches(rule, method, escapedPath, args)) return true;
  return false;
}

/** Whether any rule needs arguments (so callers can skip parsing the query/body). */
export function rulesNeedArgs(rules: readonly CompiledMappingRule[]): boolean {
  return rules.some((rule) => rule.queryParameters.length > 0);
}
