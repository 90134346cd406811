/**
 * Property-based fuzzing of Liquid templates (policies.md §4): any source
 * compiles (invalid ⇒ reported, renders empty) and rendering either returns
 * a string or throws LiquidRenderError, in bounded time (loops are disabled,
 * so no template can spin; "no hang" is a 1 s bound per render).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileLiquid, LiquidRenderError } from './engine.js';
import { HeadersDrop } from './scope.js';
import { HeaderMap } from '../../http/header-map.js';
import { liquidArb } from '../../../test-support/fuzz/arbitraries.js';

const scope = () => ({
  uri: '/a/b',
  host: 'h.test',
  http_method: 'GET',
  headers: new HeadersDrop(HeaderMap.fromRaw(['Host', 'h.test', 'X', 'y', 'X', 'z'])),
  service: { id: '1' },
  jwt: { sub: 'me', aud: ['a', 'b'] },
  nested: { deep: { deeper: [1, 2, { x: null }] } },
});

describe('Liquid templates, fuzzed (fast-check)', function () {
  this.timeout(120_000);

  it('any source compiles or is reported invalid; rendering returns a string or a LiquidRenderError, quickly', () => {
    fc.assert(
      fc.property(liquidArb, (source) => {
        const reported: string[] = [];
        const template = compileLiquid(source, (message) => reported.push(message));
        assert.equal(template.valid, reported.length === 0, 'invalid ⇔ reported');
        if (!template.valid) assert.ok(reported[0].startsWith('Invalid Liquid: '));
        const started = performance.now();
        try {
          assert.equal(typeof template.render(scope()), 'string');
        } catch (error) {
          assert.ok(error instanceof LiquidRenderError, `render threw ${String(error)}`);
        }
        assert.ok(performance.now() - started < 1000, `render of ${JSON.stringify(source)} took too long`);
      }),
      { numRuns: 1500 },
    );
  });

  it('rendering never writes into the scope it was given', () => {
    fc.assert(
      fc.property(liquidArb, (source) => {
        const given = scope();
        const before = JSON.stringify({ ...given, headers: undefined });
        try {
          compileLiquid(source).render(given);
        } catch {
          /* render errors are covered above */
        }
        assert.equal(JSON.stringify({ ...given, headers: undefined }), before);
      }),
      { numRuns: 500 },
    );
  });
});
