/**
 * Policies that wrap every service chain (policies.md §1.2): `before` run
 * ahead of the service's policies in every phase (e.g. the cloud-hosted
 * blacklist), `after` behind them (e.g. metrics). Registered at boot, before
 * the first request; the list is then fixed.
 */
import { PolicyChain, type ChainEntry } from './chain.js';
import type { Policy } from './policy.js';

export class GlobalChain {
  private beforeEntries: ChainEntry[] = [];
  private afterEntries: ChainEntry[] = [];
  before: PolicyChain = new PolicyChain([]);
  after: PolicyChain = new PolicyChain([]);

  register(name: string, policy: Policy, position: 'before' | 'after'): void {
    const entry = { name, version: 'builtin', policy };
    if (position === 'before') {
      this.beforeEntries = [...this.beforeEntries, entry];
      this.before = new PolicyChain(this.beforeEntries);
    } else {
      this.afterEntries = [...this.afterEntries, entry];
      this.after = new PolicyChain(this.afterEntries);
    }
  }

  /** Exports of the global chain (lowest layer of ctx.shared). */
  exports(): Record<string, unknown> {
    return { ...this.after.exports, ...this.before.exports };
  }
}
