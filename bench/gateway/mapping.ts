/** Mapping-rule matching cost per request for growing rule counts (in-process, no I/O). */
import { compileRule } from '../../gateway/src/mapping/rule.js';
import { matchRules } from '../../gateway/src/mapping/matcher.js';
import { escapeUri } from '../../gateway/src/http/uri.js';

export interface MappingFigure {
  rules: number;
  nsPerMatch: number;
}

export function measureMapping(counts: readonly number[] = [1, 100, 10_000]): MappingFigure[] {
  return counts.map((count) => {
    const rules = Array.from({ length: count }, (_, i) =>
      compileRule({
        http_method: i % 2 === 0 ? 'GET' : 'POST',
        pattern: i === 0 ? '/' : `/resource${i}/{id}/items$`,
        metric_system_name: `m${i}`,
        delta: 1,
      }),
    );
    // The request matches the root rule and the last rule: worst case for a scan.
    const last = count - 1 - ((count - 1) % 2);
    const path = escapeUri(count > 1 ? `/resource${last}/42/items` : '/anything');
    for (let i = 0; i < 2000; i++) matchRules(rules, 'GET', path, undefined);
    const iterations = count >= 10_000 ? 20_000 : 200_000;
    const started = process.hrtime.bigint();
    let matched = 0;
    for (let i = 0; i < iterations; i++) matched += matchRules(rules, 'GET', path, undefined).matched.length;
    const elapsed = Number(process.hrtime.bigint() - started);
    if (matched === 0) throw new Error('benchmark rules did not match');
    return { rules: count, nsPerMatch: elapsed / iterations };
  });
}
