/**
 * Property-based fuzzing of the configuration validator and compiler:
 * arbitrary JSON and a valid configuration with values replaced at random.
 * Properties: apply() never throws and never hangs, a rejection names a
 * field (and keeps the last good configuration), an accepted configuration is
 * compiled and stored.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSettings } from '../settings.js';
import { silentLogger } from '../logging/logger.js';
import { noopHooks } from '../telemetry/hooks.js';
import { PolicyRegistry } from '../chain/registry.js';
import { InMemoryConfigurationStore } from './store.js';
import { ConfigurationManager } from './manager.js';
import { createServiceFilter } from './filter.js';
import { mutatedConfigurationArb, validConfiguration } from '../../test-support/fuzz/arbitraries.js';
import { testRuntime } from '../../test-support/policies/build-policy.js';

async function manager(): Promise<ConfigurationManager> {
  const settings = parseSettings({});
  const registry = await PolicyRegistry.load({ log: silentLogger(), loadPath: [] });
  return new ConfigurationManager(new InMemoryConfigurationStore({ pathRouting: settings.pathRouting }), {
    settings,
    registry,
    log: silentLogger(),
    hooks: noopHooks,
    filter: createServiceFilter(settings.servicesList, settings.servicesFilterByUrl),
    runtime: testRuntime(),
  });
}

describe('configuration validator and compiler, fuzzed (fast-check)', function () {
  this.timeout(180_000);
  let m: ConfigurationManager;
  before(async () => {
    m = await manager();
    const good = await m.apply(validConfiguration(), 'fuzz');
    assert.equal(good.ok, true, good.ok ? '' : good.error.message);
  });

  const outcomes = { accepted: 0, rejected: 0 };
  const check = async (json: unknown): Promise<void> => {
    const before = m.store.all();
    const result = await m.apply(json, 'fuzz');
    outcomes[result.ok ? 'accepted' : 'rejected']++;
    if (result.ok) {
      assert.equal(result.configuration.services.length, result.services);
      for (const service of result.configuration.services) assert.ok(service.chain, `service ${service.id} has a compiled chain`);
      return;
    }
    assert.ok(result.error.field.length > 0, 'the rejection names a field');
    assert.ok(result.error.reason.length > 0, 'and a reason');
    assert.ok(result.error.message.startsWith(result.error.field), result.error.message);
    // Nothing stored: the last good configuration keeps serving, the very same compiled services.
    const after = m.store.all();
    assert.equal(after.length, before.length);
    after.forEach((service, i) => {
      assert.equal(service, before[i]);
    });
  };

  it('arbitrary JSON values never crash the loader and are rejected naming a field', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), check), { numRuns: 300 });
  });

  it('a valid configuration with values replaced at random: compiled or rejected naming the field', async () => {
    outcomes.accepted = outcomes.rejected = 0;
    await fc.assert(fc.asyncProperty(mutatedConfigurationArb, check), { numRuns: 600 });
    // Both paths were exercised: some mutations still compile, most are rejected.
    assert.ok(outcomes.accepted > 10 && outcomes.rejected > 10, JSON.stringify(outcomes));
  });
});
