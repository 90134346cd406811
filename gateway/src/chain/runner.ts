/**
 * Runs one phase over the chains of a request (global before, service,
 * global after), honouring exit, skip-phase and content exclusivity
 * (policies.md §1.3, §1.4). Sync handlers cost no await.
 */
import type { PolicyChain } from './chain.js';
import type { PhaseName } from './policy.js';
import type { RequestContext } from './request-context.js';

export class PolicyError extends Error {
  constructor(readonly policy: string, readonly phase: PhaseName, override readonly cause: unknown) {
    super(`policy ${policy} failed in ${phase}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'PolicyError';
  }
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** rewrite / access / content / balancer: stops at exit, skip-phase, or (content) once a producer decided. */
export async function runPhase(chains: readonly PolicyChain[], phase: 'rewrite' | 'access' | 'content' | 'balancer' | 'ssl_certificate', ctx: RequestContext): Promise<void> {
  ctx.beginPhase();
  for (const chain of chains) {
    for (const { entry, handler } of chain.handlers(phase)) {
      try {
        const result = (handler as (c: RequestContext) => unknown)(ctx);
        if (isPromise(result)) await result;
      } catch (error) {
        throw new PolicyError(entry.name, phase, error);
      }
      if (ctx.exited || ctx.phaseSkipped || ctx.aborted) return;
      if (phase === 'content' && ctx.contentDecided) return;
    }
  }
}

/** header_filter / post_action / log: every policy runs, whatever happened; errors are logged, not fatal. */
export async function runAll(chains: readonly PolicyChain[], phase: 'header_filter' | 'post_action' | 'log', ctx: RequestContext): Promise<void> {
  for (const chain of chains) {
    for (const { entry, handler } of chain.handlers(phase)) {
      try {
        const result = (handler as (c: RequestContext) => unknown)(ctx);
        if (isPromise(result)) await result;
      } catch (error) {
        ctx.log.error({ err: error, policy: entry.name }, `policy ${entry.name} failed in ${phase}`);
      }
    }
  }
}

/** True when any chain has a body_filter (then the response is re-chunked). */
export function hasBodyFilters(chains: readonly PolicyChain[]): boolean {
  return chains.some((chain) => chain.handlers('body_filter').length > 0);
}

/** Passes one chunk through every body_filter in order. */
export function filterBody(chains: readonly PolicyChain[], ctx: RequestContext, chunk: Buffer, eof: boolean): Buffer {
  let current = chunk;
  for (const chain of chains) {
    for (const { entry, handler } of chain.handlers('body_filter')) {
      try {
        const replaced = (handler as (c: RequestContext, b: Buffer, e: boolean) => Buffer | void)(ctx, current, eof);
        if (replaced !== undefined) current = replaced;
      } catch (error) {
        ctx.log.error({ err: error, policy: entry.name }, `policy ${entry.name} failed in body_filter`);
      }
    }
  }
  return current;
}
