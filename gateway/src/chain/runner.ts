/**
 * The request-level entry to a chain phase: what happens once per phase
 * before the policies run (a skip-phase of the previous phase is forgotten),
 * then the chain's own run (phase-runner.ts). Returns a promise only when a
 * handler was asynchronous.
 */
import type { PhaseRunner } from './phase-runner.js';
import type { StoppingPhase } from './phases.js';
import type { RequestContext } from './request-context.js';

export { PolicyError } from './phases.js';
export { isPromise } from './phase-runner.js';

export function runPhase(runner: PhaseRunner, phase: StoppingPhase, ctx: RequestContext): void | Promise<void> {
  ctx.beginPhase();
  return runner.run(phase, ctx);
}
