/**
 * A gateway-wide key/value store of small values, the stand-in for nginx's
 * shared dictionaries (spec README "workers": in-memory rate limits hold
 * across all workers, never limit × workers). Every operation is atomic where
 * the dictionary lives: in the primary process when the gateway runs
 * workers (reached over IPC, ./shared-dict-ipc.ts), in the process itself
 * otherwise. All methods are async so callers do not care which.
 *
 * Use: `sharedDict('limiter')` from ./shared-dicts.ts. Keys are whatever the
 * caller builds (the rate_limit policy: `<service>_fixed_window_<name>`…);
 * values are numbers or short strings; TTLs in milliseconds.
 */

export type DictValue = number | string;

export interface LeakyBucketAnswer {
  /** True when the request exceeds rate + burst; the state is then unchanged. */
  rejected: boolean;
  /** Requests in excess of the rate (gateway-wide). */
  excess: number;
  /** Seconds the caller should wait before continuing (excess / rate). */
  delaySeconds: number;
}

export interface SharedDict {
  get(key: string): Promise<DictValue | undefined>;
  set(key: string, value: DictValue, ttlMs?: number): Promise<void>;
  /** Stores only when the key is absent; answers whether it stored. */
  add(key: string, value: DictValue, ttlMs?: number): Promise<boolean>;
  /**
   * Adds `delta` and answers the new value. An absent key starts at `init`
   * and then gets `ttlMs` (a later incr keeps the expiry: fixed windows).
   */
  incr(key: string, delta: number, init?: number, ttlMs?: number): Promise<number>;
  delete(key: string): Promise<void>;
  /**
   * The leaky bucket of policies.md §5.23, atomically: excess =
   * max(previous − rate × elapsed + 1, 0) (0 for the first request);
   * excess > burst ⇒ rejected, state unchanged; else, when `commit`, the new
   * state is stored.
   */
  leakyBucket(key: string, rate: number, burst: number, commit: boolean): Promise<LeakyBucketAnswer>;
  /** Undoes one committed leaky-bucket request (rollback when another limiter rejects). */
  leakyBucketUncommit(key: string, rate: number): Promise<void>;
  /** Removes every key (tests). */
  flush(): Promise<void>;
}

export type DictOperation = Exclude<keyof SharedDict, never>;
