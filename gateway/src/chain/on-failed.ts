/**
 * on_failed support in the chain machinery (policies.md §5.38).
 *
 * Without on_failed a policy that cannot be built rejects the configuration
 * (or, unknown, is dropped) and a policy that throws answers 500. A chain
 * holding on_failed — or enclosing the chain, for conditional's nested
 * chain — must instead never serve a request without the failed policy:
 * the failure becomes a guard entry in the chain, at the failed policy's
 * place, that fails every request reaching it; and any failure of a
 * request phase is answered with on_failed's status (exported, so a nested
 * failure sees the outer on_failed through ctx.shared).
 */
import type { PolicyChainEntryJson } from '../config/types.js';
import type { ChainEntry } from './chain.js';
import type { Policy, PolicyContext } from './policy.js';

/** Export of on_failed: the status a failed request is answered with. */
export const FAILURE_STATUS_EXPORT = 'policy_failure_status';

export function isOnFailed(name: string): boolean {
  return name === 'on_failed' || name === 'apicast.policy.on_failed';
}

export function chainHasOnFailed(entries: readonly PolicyChainEntryJson[]): boolean {
  return entries.some((entry) => isOnFailed(entry.name));
}

/** Status for a request whose policy failed in rewrite/access/content: on_failed's, else 500. */
export function policyFailureStatus(ctx: Pick<PolicyContext, 'shared'>): number {
  const status = ctx.shared[FAILURE_STATUS_EXPORT];
  return typeof status === 'number' ? status : 500;
}

/**
 * Stands in for a policy that failed to load. It throws in every request
 * phase (whichever runs first at this place in the chain ends the request),
 * so the phase runner reports it as that policy's failure.
 */
export function failedPolicyEntry(name: string, version: string, reason: string): ChainEntry {
  const fail = (_ctx: PolicyContext): never => {
    throw new Error(`policy failed to load: ${reason}`);
  };
  const policy: Policy = { rewrite: fail, access: fail, content: fail };
  return { name, version, policy };
}
