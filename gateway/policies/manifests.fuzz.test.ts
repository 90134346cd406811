/**
 * Property-based fuzzing of every builtin policy's configuration through its
 * manifest (policies.md §3): for each policy, configurations made of its
 * manifest's property names with arbitrary JSON values (and arbitrary
 * objects). Properties: building never crashes with anything but a
 * ConfigurationError naming a field under the policy's configuration, never
 * hangs (5 s bound per build), and an accepted configuration yields a policy.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConfigurationError } from '../src/config/errors.js';
import { builtinRegistry, buildPolicy } from '../test-support/policies/build-policy.js';
import { liquidArb, patternArb } from '../test-support/fuzz/arbitraries.js';

const BUILD_BOUND_MS = 5000;

function propertyNames(manifest: unknown): string[] {
  const properties = (manifest as { configuration?: { properties?: Record<string, unknown> } }).configuration?.properties;
  return properties ? Object.keys(properties) : [];
}

const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  liquidArb,
  patternArb,
  fc.constantFrom('liquid', 'plain', 'path', 'embedded', 'and', 'or', '==', 0, -1),
);

function configurationArb(names: string[]): fc.Arbitrary<Record<string, unknown>> {
  const known = names.length > 0 ? fc.dictionary(fc.constantFrom(...names), value, { maxKeys: names.length }) : fc.constant({});
  return fc.oneof(known, fc.dictionary(fc.string({ maxLength: 6 }), value, { maxKeys: 3 }));
}

describe('every policy configuration through its manifest, fuzzed (fast-check)', function () {
  this.timeout(300_000);

  it('builds or is rejected with a ConfigurationError naming a field of that policy, in bounded time', async () => {
    const manifests = await (await builtinRegistry()).manifests();
    const names = Object.keys(manifests);
    assert.ok(names.length > 30, `builtin policies found: ${names.length}`);
    const outcomes: Record<string, { built: number; rejected: number }> = {};
    for (const name of names) {
      const counts = (outcomes[name] = { built: 0, rejected: 0 });
      await fc.assert(
        fc.asyncProperty(configurationArb(propertyNames(manifests[name][0])), async (configuration) => {
          const started = performance.now();
          let timer: NodeJS.Timeout | undefined;
          const bound = new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              reject(new Error(`${name}: build did not finish within ${BUILD_BOUND_MS} ms`));
            }, BUILD_BOUND_MS);
          });
          try {
            const policy = await Promise.race([buildPolicy(name, configuration), bound]);
            counts.built++;
            assert.equal(typeof policy, 'object');
            await policy.dispose?.();
          } catch (error) {
            if (!(error instanceof ConfigurationError))
              throw new Error(`${name} ${JSON.stringify(configuration)}: ${String(error)}`, { cause: error });
            counts.rejected++;
            assert.match(error.field, /^services\[0\]\.proxy\.policy_chain\[0\]/, `${name}: ${error.message}`);
            assert.ok(error.reason.length > 0);
          } finally {
            clearTimeout(timer);
          }
          assert.ok(performance.now() - started < BUILD_BOUND_MS);
        }),
        { numRuns: 40 },
      );
    }
    console.log(
      `      ${names.length} policies; built/rejected: ${Object.entries(outcomes)
        .map(([n, c]) => `${n} ${c.built}/${c.rejected}`)
        .join(', ')}`,
    );
  });
});
