/**
 * Mocha root hooks: whatever real server a test started through
 * test/support/process.ts and did not stop is stopped after the run.
 */
import { stopAll } from './process.js';
import { runTeardowns } from './teardown.js';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await runTeardowns().finally(stopAll);
  },
};
