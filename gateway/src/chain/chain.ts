/**
 * A built, immutable policy chain (policies.md §1.2, §1.6): policy instances
 * in order, their exports merged (earlier policies shadow later ones), and the
 * handlers of each phase precomputed so a request does not scan the chain.
 */
import type { Policy, PhaseName } from './policy.js';

export interface ChainEntry {
  readonly name: string;
  readonly version: string;
  readonly policy: Policy;
}

type Handler = (...args: never[]) => unknown;

export class PolicyChain {
  /** Exports of all policies; earlier entries win. */
  readonly exports: Readonly<Record<string, unknown>>;
  private readonly byPhase = new Map<PhaseName, { entry: ChainEntry; handler: Handler }[]>();

  constructor(readonly entries: readonly ChainEntry[]) {
    const exports: Record<string, unknown> = {};
    for (let i = entries.length - 1; i >= 0; i--) {
      const exported = entries[i]!.policy.export?.();
      if (exported) Object.assign(exports, exported);
    }
    this.exports = Object.freeze(exports);
    Object.freeze(this.entries);
  }

  /** Entries having a handler for `phase`, in chain order. */
  handlers(phase: PhaseName): readonly { entry: ChainEntry; handler: Handler }[] {
    let list = this.byPhase.get(phase);
    if (!list) {
      list = [];
      for (const entry of this.entries) {
        const handler = (entry.policy as Record<string, unknown>)[phase];
        if (typeof handler === 'function') list.push({ entry, handler: (handler as Handler).bind(entry.policy) });
      }
      this.byPhase.set(phase, list);
    }
    return list;
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

  private disposed = false;

  has(name: string): boolean { return this.entries.some((e) => e.name === name); }

  get length(): number { return this.entries.length; }
}

export const EMPTY_CHAIN = new PolicyChain([]);
