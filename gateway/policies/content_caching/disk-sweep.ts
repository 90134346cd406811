/**
 * Bounds the on-disk content cache (disk-cache.ts), like nginx's cache
 * manager does for `proxy_cache_path ... max_size`: entries past their expiry
 * are removed, then the oldest entries (by modification time, i.e. when they
 * were stored) until the total is at most `maxTotalBytes`. Temporary files
 * left by a crashed writer are removed once older than `staleTemporaryMs`.
 *
 * Runs off the request path on an unref'd timer, only with fs/promises.
 * Several workers sweep the same directory and write into it: a file that
 * vanishes between listing and removal (ENOENT) is simply skipped.
 */
import { open, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readEntryExpiry } from './disk-cache.js';

/** Default bound on the cache directory: 256 MiB (nginx max_size has no default; ours is documented here and in index.ts). */
export const DEFAULT_MAX_TOTAL_BYTES = 256 * 1024 * 1024;
/** Default sweep period. */
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
const STALE_TEMPORARY_MS = 10 * 60_000;

export interface SweepOptions {
  maxTotalBytes?: number;
  nowMs?: number;
  staleTemporaryMs?: number;
}

export interface SweepResult {
  expired: number;
  evicted: number;
  remainingBytes: number;
}

interface Entry {
  path: string;
  size: number;
  mtimeMs: number;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

async function removeQuietly(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false; // another worker removed or replaced it first
    throw error;
  }
}

async function expiryOf(path: string): Promise<number | undefined> {
  const handle = await open(path, 'r');
  try {
    return await readEntryExpiry(handle);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

export async function sweepCache(directory: string, options: SweepOptions = {}): Promise<SweepResult> {
  const maxTotalBytes = options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  const nowMs = options.nowMs ?? Date.now();
  const staleTemporaryMs = options.staleTemporaryMs ?? STALE_TEMPORARY_MS;
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if (isMissing(error)) return { expired: 0, evicted: 0, remainingBytes: 0 };
    throw error;
  }
  const kept: Entry[] = [];
  let expired = 0;
  for (const name of names) {
    const path = join(directory, name);
    try {
      const info = await stat(path);
      if (!info.isFile()) continue;
      if (name.startsWith('.tmp-')) {
        // A writer still streaming touches its file; one untouched this long belongs to a dead process.
        if (nowMs - info.mtimeMs > staleTemporaryMs) await removeQuietly(path);
        continue;
      }
      const expiresAt = await expiryOf(path);
      // Unreadable metadata is a damaged entry: lookups treat it as a miss, so it only takes space.
      if (expiresAt === undefined || expiresAt <= nowMs) {
        if (await removeQuietly(path)) expired += 1;
        continue;
      }
      kept.push({ path, size: info.size, mtimeMs: info.mtimeMs });
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  let total = kept.reduce((sum, entry) => sum + entry.size, 0);
  let evicted = 0;
  kept.sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const entry of kept) {
    if (total <= maxTotalBytes) break;
    if (await removeQuietly(entry.path)) evicted += 1;
    total -= entry.size;
  }
  return { expired, evicted, remainingBytes: total };
}

/** Sweeps `directory` every `intervalMs` without keeping the process alive; returns the stop function. */
export function startSweeping(
  directory: string,
  onError: (message: string, error: unknown) => void,
  intervalMs = DEFAULT_SWEEP_INTERVAL_MS,
  options: Omit<SweepOptions, 'nowMs'> = {},
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return; // a slow disk must not pile sweeps up
    running = true;
    sweepCache(directory, options)
      .catch((error: unknown) => {
        onError('content cache sweep failed', error);
      })
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
