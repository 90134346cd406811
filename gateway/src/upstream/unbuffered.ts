/**
 * The request_unbuffered flag (policies.md §5.41). The gateway streams
 * request bodies already; the one place it buffers a body for a policy is
 * the retry policy's replay (proxy.ts). A request carrying this flag keeps
 * its body streaming and, having no replayable body, is not retried.
 */
import type { PolicyContext } from '../chain/policy.js';

export const REQUEST_UNBUFFERED = 'request_unbuffered';

export function markUnbuffered(ctx: PolicyContext): void {
  ctx.shared[REQUEST_UNBUFFERED] = true;
}

export function isUnbuffered(ctx: Pick<PolicyContext, 'shared'>): boolean {
  return ctx.shared[REQUEST_UNBUFFERED] === true;
}
