/**
 * The authorization cache (gateway.md §4.7): cache key → backend status, per
 * worker, LRU-bounded, no expiry by default (OIDC: the token's lifetime).
 */
import { LRUCache } from 'lru-cache';

export class AuthCache {
  private readonly entries: LRUCache<string, number>;

  constructor(max = 100_000) {
    this.entries = new LRUCache<string, number>({ max, ttlAutopurge: false });
  }

  get(key: string): number | undefined {
    return this.entries.get(key);
  }

  /** `ttlSeconds` undefined or ≤ 0 ⇒ never expires. */
  set(key: string, status: number, ttlSeconds?: number): void {
    this.entries.set(key, status, ttlSeconds && ttlSeconds > 0 ? { ttl: ttlSeconds * 1000 } : undefined);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
