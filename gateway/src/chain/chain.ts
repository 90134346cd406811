/**
 * A built, immutable policy chain (policies.md §1.2, §1.6): policy instances
 * in order, their exports merged (earlier policies shadow later ones), and the
 * handlers of each phase precomputed so a request does not scan the chain.
 * Running it (run, runAll, filterBody) follows the one phase table of
 * phases.ts, whether the chain is a service's or nested in a policy.
 */
import type { Policy } from './policy.js';
import { PhaseRunner, phaseSteps } from './phase-runner.js';

export interface ChainEntry {
  readonly name: string;
  readonly version: string;
  readonly policy: Policy;
}

export class PolicyChain extends PhaseRunner {
  /** Exports of all policies; earlier entries win. */
  readonly exports: Readonly<Record<string, unknown>>;
  private disposed = false;

  constructor(readonly entries: readonly ChainEntry[]) {
    super(phaseSteps(entries));
    const exports: Record<string, unknown> = {};
    for (let i = entries.length - 1; i >= 0; i--) {
      const exported = entries[i].policy.export?.();
      if (exported) Object.assign(exports, exported);
    }
    this.exports = Object.freeze(exports);
    Object.freeze(this.entries);
  }

  /** Calls every policy's dispose() once, in chain order; a failing one does not stop the others. */
  async dispose(onError: (name: string, error: unknown) => void): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const entry of this.entries) {
      try {
        await entry.policy.dispose?.();
      } catch (error) {
        onError(entry.name, error);
      }
    }
  }

  has(name: string): boolean {
    return this.entries.some((e) => e.name === name);
  }

  get length(): number {
    return this.entries.length;
  }
}

export const EMPTY_CHAIN = new PolicyChain([]);
