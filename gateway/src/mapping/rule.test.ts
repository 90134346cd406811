import assert from 'node:assert/strict';
import { Args } from '../http/args.js';
import { escapeUri } from '../http/uri.js';
import { compileRule, MappingRuleError, patternToRegexSource, type CompiledMappingRule } from './rule.js';
import { matchRules } from './matcher.js';
import type { MappingRuleJson } from '../config/types.js';

const rule = (pattern: string, extra: Partial<MappingRuleJson> = {}): MappingRuleJson => ({
  http_method: 'GET',
  pattern,
  metric_system_name: 'hits',
  delta: 1,
  ...extra,
});

function matches(pattern: string, path: string, method = 'GET', args?: string): boolean {
  const compiled = compileRule(rule(pattern));
  return matchRules([compiled], method, escapeUri(path), args === undefined ? undefined : Args.parse(args)).matched.length === 1;
}

describe('mapping rules (gateway.md §4.4)', () => {
  it('are prefix matches unless anchored with $', () => {
    assert.equal(matches('/foo', '/foobar'), true);
    assert.equal(matches('/foo$', '/foobar'), false);
    assert.equal(matches('/foo$', '/foo'), true);
    assert.equal(matches('/foo', '/bar/foo'), false);
  });

  it('match one path segment per placeholder and keep dots literal', () => {
    assert.equal(matches('/users/{id}/posts', '/users/7/posts'), true);
    assert.equal(matches('/users/{id}/posts', '/users/7/8/posts'), false);
    assert.equal(matches('/file.json', '/fileXjson'), false);
    assert.equal(matches('/file.json', '/file.json'), true);
    assert.equal(matches('/v{version}.json', '/v1.2.json'), true);
  });

  it('keep other regex syntax live and drop the query part of the pattern', () => {
    assert.equal(matches('/a+b', '/aaab'), true);
    assert.equal(matches('/search?q={q}', '/search'), true);
    assert.equal(patternToRegexSource('//a//b?x=1'), '^/a/b');
  });

  it('match the re-escaped decoded path', () => {
    assert.equal(matches('/foo%20/bar', '/foo /bar'), true);
  });

  it('compare methods exactly, ANY matches all', () => {
    const post = compileRule(rule('/', { http_method: 'POST' }));
    const any = compileRule(rule('/', { http_method: 'ANY' }));
    assert.equal(matchRules([post], 'GET', '/', undefined).matched.length, 0);
    assert.equal(matchRules([any], 'DELETE', '/', undefined).matched.length, 1);
    assert.equal(matchRules([compileRule(rule('/', { http_method: 'get' }))], 'GET', '/', undefined).matched.length, 0);
  });

  it('check query parameters: {x} must be present, literals equal the last occurrence', () => {
    const r = compileRule(rule('/', { querystring_parameters: { color: 'red', size: '{s}' } }));
    assert.equal(matchRules([r], 'GET', '/', Args.parse('color=red&size=1')).matched.length, 1);
    assert.equal(matchRules([r], 'GET', '/', Args.parse('color=red')).matched.length, 0);
    assert.equal(matchRules([r], 'GET', '/', Args.parse('color=red&color=blue&size=1')).matched.length, 0);
    assert.equal(matchRules([r], 'GET', '/', Args.parse('color=blue&color=red&size=')).matched.length, 1);
  });

  it('accumulate usage until a last rule, in first-match order (worked examples)', () => {
    const rules = [
      compileRule(rule('/', { delta: 1 })),
      compileRule(rule('/x', { delta: 50, last: true })),
      compileRule(rule('/a', { delta: 3, last: true })),
      compileRule(rule('/a/b', { delta: 7 })),
    ];
    assert.equal(matchRules(rules, 'GET', '/a/b', undefined).usage.encode(), 'usage%5Bhits%5D=4');
    const others = [
      compileRule(rule('/', { delta: 1 })),
      compileRule(rule('/orders', { delta: 2, metric_system_name: 'orders' })),
      compileRule(rule('/users', { delta: 5, metric_system_name: 'users' })),
    ];
    assert.equal(matchRules(others, 'GET', '/orders/7', undefined).usage.encode(), 'usage%5Bhits%5D=1&usage%5Borders%5D=2');
  });

  it('reject a pattern JavaScript cannot compile, naming it', () => {
    assert.throws(
      () => compileRule(rule('/a(b')),
      (e: unknown) => e instanceof MappingRuleError && /\/a\(b/.test(e.message),
    );
  });
});

describe('mapping rule index', () => {
  it('finds the same matches as a full scan, in configuration order, for many rules', async () => {
    const { literalPrefix } = await import('./index.js');
    assert.equal(literalPrefix('/users/{id}'), '/users/');
    assert.equal(literalPrefix('/a.json$'), '/a.json');
    assert.equal(literalPrefix('/ab*c'), '/a');
    assert.equal(literalPrefix('/x+'), '/x');
    const patterns = ['/', '/orders', '/orders/{id}', '/o+rders', '/users/{id}/posts$', '/u.ers', '/(a|b)/c', '/orders/7/items'];
    const rules: CompiledMappingRule[] = [];
    for (let i = 0; i < 40; i++) for (const p of patterns) rules.push(compileRule(rule(p, { metric_system_name: `m${rules.length}` })));
    const paths = ['/', '/orders/7/items', '/users/1/posts', '/uxers', '/a/c', '/ooorders', '/nothing'];
    for (const path of paths) {
      const scanned = rules.filter((r) => r.regex.test(path)).map((r) => r.metric);
      assert.deepEqual(
        matchRules(rules, 'GET', path, undefined).matched.map((r) => r.metric),
        scanned,
        path,
      );
    }
  });
});
