/**
 * The in-process SharedDict: a Map with per-key expiry. In a multi-worker
 * gateway only the primary holds these (one per dictionary name); workers
 * reach them over IPC. Synchronous inside, so each operation is atomic.
 */
import type { DictValue, LeakyBucketAnswer, SharedDict } from './shared-dict.js';

interface Entry {
  value: DictValue;
  expiresAt: number;
}
interface LeakyState {
  excess: number;
  lastMs: number;
}

export class LocalDictCore {
  private readonly entries = new Map<string, Entry>();
  private readonly leaky = new Map<string, LeakyState>();

  constructor(private readonly now: () => number = Date.now) {}

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private expiry(ttlMs: number | undefined): number {
    return ttlMs === undefined || ttlMs <= 0 ? Number.POSITIVE_INFINITY : this.now() + ttlMs;
  }

  get(key: string): DictValue | undefined {
    return this.live(key)?.value;
  }

  set(key: string, value: DictValue, ttlMs?: number): void {
    this.entries.set(key, { value, expiresAt: this.expiry(ttlMs) });
  }

  add(key: string, value: DictValue, ttlMs?: number): boolean {
    if (this.live(key)) return false;
    this.set(key, value, ttlMs);
    return true;
  }

  incr(key: string, delta: number, init = 0, ttlMs?: number): number {
    const entry = this.live(key);
    if (!entry) {
      const value = init + delta;
      this.set(key, value, ttlMs);
      return value;
    }
    const value = Number(entry.value) + delta;
    entry.value = value;
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
    this.leaky.delete(key);
  }

  leakyBucket(key: string, rate: number, burst: number, commit: boolean): LeakyBucketAnswer {
    const now = this.now();
    const state = this.leaky.get(key);
    const excess = state ? Math.max(state.excess - (rate * (now - state.lastMs)) / 1000 + 1, 0) : 0;
    if (excess > burst) return { rejected: true, excess, delaySeconds: 0 };
    if (commit) this.leaky.set(key, { excess, lastMs: now });
    return { rejected: false, excess, delaySeconds: rate > 0 ? excess / rate : 0 };
  }

  leakyBucketUncommit(key: string, rate: number): void {
    const state = this.leaky.get(key);
    if (!state) return;
    const now = this.now();
    const excess = Math.max(state.excess - (rate * (now - state.lastMs)) / 1000 - 1, 0);
    this.leaky.set(key, { excess, lastMs: now });
  }

  flush(): void {
    this.entries.clear();
    this.leaky.clear();
  }
}

/** `op` run now, as a promise: its result, or its throw as a rejection (what an async function does). */
function settled<T>(op: () => T): Promise<T> {
  return new Promise<T>((resolve) => {
    resolve(op());
  });
}

/** The async facade over LocalDictCore, for single-process gateways. */
export function localSharedDict(core = new LocalDictCore()): SharedDict {
  return {
    get: (key) => settled(() => core.get(key)),
    set: (key, value, ttlMs) =>
      settled(() => {
        core.set(key, value, ttlMs);
      }),
    add: (key, value, ttlMs) => settled(() => core.add(key, value, ttlMs)),
    incr: (key, delta, init, ttlMs) => settled(() => core.incr(key, delta, init, ttlMs)),
    delete: (key) =>
      settled(() => {
        core.delete(key);
      }),
    leakyBucket: (key, rate, burst, commit) => settled(() => core.leakyBucket(key, rate, burst, commit)),
    leakyBucketUncommit: (key, rate) =>
      settled(() => {
        core.leakyBucketUncommit(key, rate);
      }),
    flush: () =>
      settled(() => {
        core.flush();
      }),
  };
}
