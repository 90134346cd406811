/**
 * Property-based fuzzing of request parsing the gateway does itself:
 * targets (splitTarget), paths (normalizePath, escapeUri), query args
 * (Args.parse) and header lists (HeaderMap.fromRaw). No input crashes them,
 * and their outputs keep the invariants the proxy relies on.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeUri, normalizePath, splitTarget } from './uri.js';
import { Args } from './args.js';
import { HeaderMap } from './header-map.js';
import { rawHeadersArb, targetArb } from '../../test-support/fuzz/arbitraries.js';

const anyTarget = fc.oneof(targetArb, fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }));

describe('request parsing, fuzzed (fast-check)', function () {
  this.timeout(60_000);

  it('splitTarget + normalizePath: an absolute path without dot segments or empty segments', () => {
    fc.assert(
      fc.property(anyTarget, (target) => {
        const { path, query } = splitTarget(target);
        assert.equal(typeof query, 'string');
        const normalized = normalizePath(path);
        assert.ok(normalized.startsWith('/'), normalized);
        const segments = normalized.split('/').slice(1, -1);
        assert.ok(!segments.includes('..') && !segments.includes('.'), `dot segment in ${JSON.stringify(normalized)}`);
        assert.ok(!normalized.includes('//'), `empty segment in ${JSON.stringify(normalized)}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('escapeUri: no control bytes, spaces, #, ? or non-ASCII left (safe in a request line)', () => {
    fc.assert(
      fc.property(anyTarget, (target) => {
        const escaped = escapeUri(normalizePath(splitTarget(target).path));
        // eslint-disable-next-line no-control-regex -- the property under test: no control character survives escaping
        assert.doesNotMatch(escaped, /[\u0000-\u0020#?\u007f-\uffff]/, JSON.stringify(escaped));
      }),
      { numRuns: 3000 },
    );
  });

  it('Args.parse: any query string parses; every value read back is a string', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          targetArb.map((t) => t.slice(1)),
          fc.string({ maxLength: 80 }),
        ),
        (query) => {
          const args = Args.parse(query);
          for (const name of ['a', 'user_key', '', '%', 'x[y]']) {
            const last = args.getLast(name);
            assert.ok(last === undefined || typeof last === 'string');
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('HeaderMap.fromRaw: lookups are case-insensitive and keep every value in order', () => {
    fc.assert(
      fc.property(rawHeadersArb, (raw) => {
        const map = HeaderMap.fromRaw(raw);
        const expected = new Map<string, string[]>();
        for (let i = 0; i + 1 < raw.length; i += 2) {
          const name = raw[i].toLowerCase();
          expected.set(name, [...(expected.get(name) ?? []), raw[i + 1]]);
        }
        for (const [name, values] of expected) {
          assert.ok(map.has(name.toUpperCase()), name);
          assert.deepEqual(map.getAll(name), values);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
