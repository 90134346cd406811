/**
 * The phase rules (policies.md §1.3, §1.4), written once. Every chain runs
 * from this table: service chains, the global chain around them, and the
 * nested chains of conditional and standalone.
 *
 * - `stopping`: handlers run in order until one exits, skips the phase, or
 *   the client goes away. An error ends the request (500), naming the policy.
 * - `exclusive`: a stopping phase that also ends once a content producer
 *   decided (proxyPass or exit).
 * - `every`: every handler runs whatever happened before; an error is logged
 *   and the next handler runs.
 * - `filter`: body_filter, synchronous, per chunk; an error is logged and the
 *   chunk goes on unchanged.
 */
import type { PhaseName } from './policy.js';

export const PHASE_RULES = {
  ssl_certificate: 'stopping',
  rewrite: 'stopping',
  access: 'stopping',
  content: 'exclusive',
  balancer: 'stopping',
  header_filter: 'every',
  post_action: 'every',
  log: 'every',
  body_filter: 'filter',
} as const satisfies Partial<Record<PhaseName, 'stopping' | 'exclusive' | 'every' | 'filter'>>;

type Rules = typeof PHASE_RULES;
export type ChainPhase = keyof Rules;
export type StoppingPhase = { [P in ChainPhase]: Rules[P] extends 'stopping' | 'exclusive' ? P : never }[ChainPhase];
export type EveryPhase = { [P in ChainPhase]: Rules[P] extends 'every' ? P : never }[ChainPhase];

export const CHAIN_PHASES = Object.keys(PHASE_RULES) as ChainPhase[];

/**
 * What the stop rules read from a context. The request context has them all;
 * the TLS handshake context of ssl_certificate has none (nothing can stop it
 * but an error).
 */
export interface PhaseState {
  readonly log: unknown;
  readonly exited?: boolean;
  readonly phaseSkipped?: boolean;
  readonly aborted?: boolean;
  readonly contentDecided?: boolean;
}

/** True when no further handler of `phase` may run for this request. */
export function phaseStopped(phase: StoppingPhase, ctx: PhaseState): boolean {
  return (
    ctx.exited === true ||
    ctx.phaseSkipped === true ||
    ctx.aborted === true ||
    (PHASE_RULES[phase] === 'exclusive' && ctx.contentDecided === true)
  );
}

/** A policy failed in a stopping phase: the request ends with 500 and the log names the policy. */
export class PolicyError extends Error {
  constructor(
    readonly policy: string,
    readonly phase: PhaseName,
    override readonly cause: unknown,
  ) {
    super(`policy ${policy} failed in ${phase}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'PolicyError';
  }
}

/** Wraps a handler's error once: a nested chain's PolicyError already names the inner policy. */
export function asPolicyError(policy: string, phase: PhaseName, error: unknown): PolicyError {
  return error instanceof PolicyError ? error : new PolicyError(policy, phase, error);
}
