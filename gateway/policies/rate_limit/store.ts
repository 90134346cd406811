/**
 * Limiter state operations (policies.md §5.23). Each is atomic on its key
 * where the state lives, so several worker processes (the gateway's shared
 * dictionary, held by the primary) or several gateways (Redis) share it.
 */

export interface Verdict {
  allowed: boolean;
  /** Seconds to wait before continuing (leaky bucket, connections). */
  delay: number;
}

export interface LimitStore {
  /** Fixed window: +1 (key created with TTL `windowSeconds`); over `count` ⇒ undone and rejected. */
  fixedWindow(key: string, count: number, windowSeconds: number): Promise<Verdict>;
  fixedWindowUndo(key: string): Promise<void>;
  /** Leaky bucket: excess = max(prev − rate × elapsed + 1, 0); excess > burst ⇒ rejected, state unchanged. */
  leakyBucket(key: string, rate: number, burst: number): Promise<Verdict>;
  leakyBucketUndo(key: string, rate: number): Promise<void>;
  /** Connections: +1 = N; N > conn + burst ⇒ undone and rejected; N > conn ⇒ delay × floor((N−1)/conn). */
  connectionEnter(key: string, conn: number, burst: number, delay: number): Promise<Verdict>;
  connectionLeave(key: string): Promise<void>;
}

export const REJECTED: Verdict = { allowed: false, delay: 0 };

/** Delay of the N-th concurrent request (policies.md §5.23 connections). */
export function connectionDelay(n: number, conn: number, delay: number): number {
  return n > conn ? delay * Math.floor((n - 1) / conn) : 0;
}
