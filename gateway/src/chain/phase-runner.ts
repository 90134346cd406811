/**
 * Runs the handlers of a chain phase by phase, by the rules of phases.ts.
 *
 * The fast path: each phase's handler list is computed once, when the chain
 * is built, so an empty phase costs one length check; and a phase whose
 * handlers all return synchronously costs no promise and no await. The first
 * handler that returns a promise switches the rest of that phase to an async
 * continuation, so `run` returns a promise only when something was
 * asynchronous (callers `await` only then).
 */
import type { ChainEntry } from './chain.js';
import {
  asPolicyError,
  CHAIN_PHASES,
  phaseStopped,
  type ChainPhase,
  type EveryPhase,
  type PhaseState,
  type StoppingPhase,
} from './phases.js';
import type { PolicyContext } from './policy.js';

type Handler = (ctx: never, ...rest: never[]) => unknown;
export interface Step {
  readonly entry: ChainEntry;
  readonly handler: Handler;
}

export function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

type Call = (ctx: unknown) => unknown;
type BodyCall = (ctx: unknown, chunk: Buffer, eof: boolean) => Buffer | undefined;

/** Calls one stopping-phase handler; a thrown or rejected error becomes a PolicyError naming it. */
function callStopping(step: Step, phase: StoppingPhase, ctx: PhaseState): Promise<unknown> | undefined {
  let result: unknown;
  try {
    result = (step.handler as Call)(ctx);
  } catch (error) {
    throw asPolicyError(step.entry.name, phase, error);
  }
  if (!isPromise(result)) return undefined;
  return result.catch((error: unknown) => {
    throw asPolicyError(step.entry.name, phase, error);
  });
}

async function finishStopping(
  pending: Promise<unknown>,
  steps: readonly Step[],
  from: number,
  phase: StoppingPhase,
  ctx: PhaseState,
): Promise<void> {
  await pending;
  if (phaseStopped(phase, ctx)) return;
  for (let i = from + 1; i < steps.length; i++) {
    const result = callStopping(steps[i], phase, ctx);
    if (result) await result;
    if (phaseStopped(phase, ctx)) return;
  }
}

function logFailure(ctx: PolicyContext, step: Step, phase: string, error: unknown): void {
  ctx.log.error({ err: error, policy: step.entry.name }, `policy ${step.entry.name} failed in ${phase}`);
}

/** Calls one every-phase handler; errors are logged, never thrown. */
function callEvery(step: Step, phase: EveryPhase, ctx: PolicyContext): Promise<void> | undefined {
  try {
    const result = (step.handler as Call)(ctx);
    if (isPromise(result))
      return result.then(
        () => undefined,
        (error: unknown) => {
          logFailure(ctx, step, phase, error);
        },
      );
  } catch (error) {
    logFailure(ctx, step, phase, error);
  }
  return undefined;
}

async function finishEvery(
  pending: Promise<void>,
  steps: readonly Step[],
  from: number,
  phase: EveryPhase,
  ctx: PolicyContext,
): Promise<void> {
  await pending;
  for (let i = from + 1; i < steps.length; i++) {
    const result = callEvery(steps[i], phase, ctx);
    if (result) await result;
  }
}

type PhaseSteps = Readonly<Record<ChainPhase, readonly Step[]>>;

/** Each phase's handlers of `entries`, in chain order, bound to their policy: computed once per chain build. */
export function phaseSteps(entries: readonly ChainEntry[]): PhaseSteps {
  const steps = {} as Record<ChainPhase, readonly Step[]>;
  for (const phase of CHAIN_PHASES) {
    const list: Step[] = [];
    for (const entry of entries) {
      const handler = (entry.policy as unknown as Record<string, unknown>)[phase];
      if (typeof handler === 'function') list.push({ entry, handler: (handler as Handler).bind(entry.policy) });
    }
    steps[phase] = list;
  }
  return steps;
}

export class PhaseRunner {
  constructor(private readonly steps: PhaseSteps) {}

  /** The chains one request runs through, in order (global before, service, global after), as one runner. */
  static sequence(runners: readonly PhaseRunner[]): PhaseRunner {
    const steps = {} as Record<ChainPhase, readonly Step[]>;
    for (const phase of CHAIN_PHASES) steps[phase] = runners.flatMap((runner) => runner.steps[phase]);
    return new PhaseRunner(steps);
  }

  /** True when some policy of the chain has a handler for `phase`. */
  uses(phase: ChainPhase): boolean {
    return this.steps[phase].length > 0;
  }

  /** A stopping phase (rewrite, access, content, balancer, ssl_certificate); see phases.ts. */
  run(phase: StoppingPhase, ctx: PhaseState): void | Promise<void> {
    const steps = this.steps[phase];
    for (let i = 0; i < steps.length; i++) {
      const pending = callStopping(steps[i], phase, ctx);
      if (pending) return finishStopping(pending, steps, i, phase, ctx);
      if (phaseStopped(phase, ctx)) return undefined;
    }
    return undefined;
  }

  /** header_filter, post_action, log: every handler runs; errors are logged. */
  runAll(phase: EveryPhase, ctx: PolicyContext): void | Promise<void> {
    const steps = this.steps[phase];
    for (let i = 0; i < steps.length; i++) {
      const pending = callEvery(steps[i], phase, ctx);
      if (pending) return finishEvery(pending, steps, i, phase, ctx);
    }
    return undefined;
  }

  /** One response body chunk through every body_filter in order; a failing filter is logged and skipped. */
  filterBody(ctx: PolicyContext, chunk: Buffer, eof: boolean): Buffer {
    let current = chunk;
    for (const step of this.steps.body_filter) {
      try {
        const replaced = (step.handler as BodyCall)(ctx, current, eof);
        if (replaced !== undefined) current = replaced;
      } catch (error) {
        logFailure(ctx, step, 'body_filter', error);
      }
    }
    return current;
  }
}
