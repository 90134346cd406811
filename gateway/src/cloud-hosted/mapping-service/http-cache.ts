/**
 * The mapping-service caches its outgoing GET answers as HTTP says
 * (gateway.md §9.2 step 6): `Cache-Control: max-age=N` (or `s-maxage`), else
 * `Expires`; `no-store`, `no-cache`, `private` and anything without a
 * lifetime are not cached. Only 200 answers are kept. Pure apart from the
 * clock passed in.
 */
import { LRUCache } from 'lru-cache';

export interface CachedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Seconds the answer may be reused, or 0. */
export function freshnessSeconds(headers: Record<string, string | string[] | undefined>, nowMs: number): number {
  const cacheControl = String(headers['cache-control'] ?? '').toLowerCase();
  if (/(^|,)\s*(no-store|no-cache|private)\b/.test(cacheControl)) return 0;
  const maxAge = /(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*(\d+)/.exec(cacheControl);
  if (maxAge) return Number(maxAge[1]);
  const expires = Date.parse(String(headers.expires ?? ''));
  return Number.isNaN(expires) ? 0 : Math.max(0, Math.floor((expires - nowMs) / 1000));
}

export class HttpCache {
  private readonly entries = new LRUCache<string, { answer: CachedAnswer; until: number }>({ max: 1000 });
  constructor(private readonly now: () => number = Date.now) {}

  get(url: string): CachedAnswer | undefined {
    const entry = this.entries.get(url);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(url);
      return undefined;
    }
    return entry.answer;
  }

  store(url: string, answer: CachedAnswer): void {
    if (answer.status !== 200) return;
    const seconds = freshnessSeconds(answer.headers, this.now());
    if (seconds > 0) this.entries.set(url, { answer, until: this.now() + seconds * 1000 });
  }
}
