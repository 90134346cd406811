/**
 * The stored responses of content_caching: one store per worker process,
 * kept across configuration reloads like nginx's cache zone, bounded in
 * bytes by lru-cache. Entries carry their own expiry; an expired entry is
 * reported as EXPIRED when the next request refreshes it.
 */
import { LRUCache } from 'lru-cache';

export interface CachedResponse {
  status: number;
  headers: [string, string[]][];
  body: Buffer;
  expiresAt: number;
}

const MAX_BYTES = 64 * 1024 * 1024;
/** Larger bodies are passed through without being stored. */
export const MAX_ENTRY_BYTES = 8 * 1024 * 1024;

function entrySize(entry: CachedResponse): number {
  let size = entry.body.length + 64;
  for (const [name, values] of entry.headers) size += name.length + values.reduce((n, v) => n + v.length, 0);
  return size;
}

export const responseCache = new LRUCache<string, CachedResponse>({ maxSize: MAX_BYTES, sizeCalculation: entrySize });

export type Lookup = { status: 'HIT'; entry: CachedResponse } | { status: 'MISS' | 'EXPIRED' };

export function lookup(key: string, nowMs = Date.now()): Lookup {
  const entry = responseCache.get(key);
  if (!entry) return { status: 'MISS' };
  if (entry.expiresAt <= nowMs) return { status: 'EXPIRED' };
  return { status: 'HIT', entry };
}
