/**
 * Property-based fuzzing of mapping-rule patterns (gateway.md §4.4): any
 * pattern either compiles or is rejected with MappingRuleError, and a
 * compiled one matches any path up to the request-line limit without
 * catastrophic backtracking (./regex-engine.ts). "No hang" is a time bound:
 * an exponential case takes seconds to forever, the bound is 1 s per match.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileRule, MappingRuleError, ruleMatches, type CompiledMappingRule } from './rule.js';
import { patternArb, pathArb } from '../../test-support/fuzz/arbitraries.js';

const HANG_BOUND_MS = 1000;

function compile(pattern: string): CompiledMappingRule | MappingRuleError {
  try {
    return compileRule({ http_method: 'ANY', pattern, metric_system_name: 'hits', delta: 1 });
  } catch (error) {
    if (error instanceof MappingRuleError) return error;
    throw error;
  }
}

function timedMatch(rule: CompiledMappingRule, path: string): number {
  const started = performance.now();
  ruleMatches(rule, 'GET', path, undefined);
  return performance.now() - started;
}

describe('mapping-rule patterns, fuzzed (fast-check)', function () {
  this.timeout(120_000);

  it('every pattern compiles or is rejected naming the pattern; compiled ones match any path in bounded time', () => {
    fc.assert(
      fc.property(patternArb, fc.array(pathArb, { minLength: 1, maxLength: 4 }), (pattern, paths) => {
        const rule = compile(pattern);
        if (rule instanceof MappingRuleError) {
          assert.ok(rule.message.includes(`pattern "${pattern}"`), rule.message);
          return;
        }
        for (const path of paths) assert.ok(timedMatch(rule, path) < HANG_BOUND_MS, `pattern ${pattern} on a ${path.length}-byte path`);
      }),
      { numRuns: 400 },
    );
  });

  it('known catastrophic patterns stay linear on 8 KiB crafted paths', () => {
    const crafted = `/${'a'.repeat(8000)}!`;
    for (const pattern of ['/(a+)+$', '/(a|a)*$', '/(a|aa)+$', '/(\\w|\\d)+$', '/(a*)*b', '/{x}{y}{z}!', '/(.*a){12}']) {
      const rule = compile(pattern);
      assert.ok(!(rule instanceof MappingRuleError), `${pattern} is accepted: ${rule instanceof MappingRuleError ? rule.message : ''}`);
      assert.ok(timedMatch(rule, crafted) < HANG_BOUND_MS, pattern);
    }
  });

  // Lookarounds never reach the regex: their '?' starts the pattern's query part.
  it('patterns the linear engine cannot run (backreferences) are rejected at load', () => {
    for (const pattern of ['/(a+)+\\1', '/(a)\\1+$', '/{x}(b)\\1']) {
      const rule = compile(pattern);
      assert.ok(rule instanceof MappingRuleError, pattern);
      assert.match(rule.message, /backreferences or lookaround/);
    }
  });

  it('ordinary patterns keep matching as before', () => {
    const rule = compile('/v1/{id}.json$');
    assert.ok(!(rule instanceof MappingRuleError));
    assert.equal(ruleMatches(rule, 'GET', '/v1/42.json', undefined), true);
    assert.equal(ruleMatches(rule, 'GET', '/v1/42xjson', undefined), false);
  });
});
