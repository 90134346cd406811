/**
 * When a configuration replaces service chains, the replaced chains'
 * policies get `dispose()` (e.g. 3scale_batcher flushes its counters).
 *
 * Choice: a replaced chain is disposed once its in-flight requests are done,
 * not at once — a request that started on the old configuration still runs
 * its post_action/log on the old policies, and what it adds there (a batched
 * report) must not be lost behind an early flush. A chain with nothing in
 * flight is disposed right away.
 */
import type { PolicyChain } from './chain.js';

export class ChainDisposal {
  private readonly inFlight = new Map<PolicyChain, number>();
  private readonly retired = new Set<PolicyChain>();
  private live = new Set<PolicyChain>();

  constructor(private readonly dispose: (chain: PolicyChain) => void) {}

  /** A request starts on `chain`. */
  acquire(chain: PolicyChain): void {
    this.inFlight.set(chain, (this.inFlight.get(chain) ?? 0) + 1);
  }

  /** That request finished (after log). */
  release(chain: PolicyChain): void {
    const left = (this.inFlight.get(chain) ?? 1) - 1;
    if (left > 0) {
      this.inFlight.set(chain, left);
      return;
    }
    this.inFlight.delete(chain);
    if (this.retired.delete(chain)) this.dispose(chain);
  }

  /** The chains the store now serves; chains served before and not any more are retired. */
  update(current: Iterable<PolicyChain>): void {
    const next = new Set(current);
    for (const chain of this.live) {
      if (next.has(chain)) continue;
      if (this.inFlight.has(chain)) this.retired.add(chain);
      else this.dispose(chain);
    }
    this.live = next;
  }
}
