/**
 * The content cache on disk (gateway.md §0: "Content cache on disk
 * /tmp/cache"), shared by every worker process like nginx's proxy cache, so
 * a response stored by one worker is a HIT on all of them.
 *
 * One file per entry, named by the SHA-256 of the cache key: the key holds
 * the request URI, which may carry credentials, so it never reaches the file
 * system. File layout: 4-byte big-endian length of the metadata JSON
 * (status, headers, expiry), the metadata, then the body. An entry is
 * written to a temporary file as the body streams by and renamed into place
 * at the end, so readers in other workers see a whole entry or none.
 * Only fs/promises and streams: nothing blocks the event loop.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface EntryMetadata {
  status: number;
  headers: [string, string[]][];
  /** Epoch milliseconds after which the entry is EXPIRED. */
  expiresAt: number;
}

export interface CachedResponse extends EntryMetadata {
  body: Buffer;
}

export type Lookup = { status: 'HIT'; entry: CachedResponse } | { status: 'MISS' | 'EXPIRED' };

/** Larger bodies are passed through without being stored (the previous in-memory limit, kept). */
export const MAX_ENTRY_BYTES = 8 * 1024 * 1024;
const LENGTH_BYTES = 4;
const MAX_METADATA_BYTES = 1024 * 1024;

/** The expiry of an entry file, or undefined when its metadata block is unreadable (used by the sweep). */
export async function readEntryExpiry(handle: FileHandle): Promise<number | undefined> {
  const { size } = await handle.stat();
  if (size < LENGTH_BYTES) return undefined;
  const length = Buffer.alloc(LENGTH_BYTES);
  await handle.read(length, 0, LENGTH_BYTES, 0);
  const metadataLength = length.readUInt32BE();
  if (metadataLength > MAX_METADATA_BYTES || LENGTH_BYTES + metadataLength > size) return undefined;
  const json = Buffer.alloc(metadataLength);
  await handle.read(json, 0, metadataLength, LENGTH_BYTES);
  try {
    const metadata: unknown = JSON.parse(json.toString());
    return isMetadata(metadata) ? metadata.expiresAt : undefined;
  } catch {
    return undefined;
  }
}

export function entryFileName(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function isMetadata(value: unknown): value is EntryMetadata {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    Number.isInteger(m['status']) &&
    typeof m['expiresAt'] === 'number' &&
    Array.isArray(m['headers']) &&
    m['headers'].every(
      (h: unknown) =>
        Array.isArray(h) && typeof h[0] === 'string' && Array.isArray(h[1]) && h[1].every((v: unknown) => typeof v === 'string'),
    )
  );
}

/** Encodes the metadata block that starts an entry file. */
export function encodeMetadata(metadata: EntryMetadata): Buffer {
  const json = Buffer.from(JSON.stringify(metadata));
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt32BE(json.length);
  return Buffer.concat([length, json]);
}

/** Streams one entry into a temporary file; `finish` publishes it, `abort` drops it. */
export interface EntryWriter {
  /** False once the entry was dropped (too large or a write error): stop feeding it. */
  write(chunk: Buffer): boolean;
  finish(): void;
  /** Drops the entry unless finish() was already called. */
  abort(): void;
  /** Settles when the entry is published or dropped (tests, shutdown). */
  readonly settled: Promise<void>;
}

export class DiskCache {
  private ready: Promise<void> | undefined;
  /**
   * Entries of this process whose response ended but whose file is not yet
   * renamed into place. A lookup waits for them: the client already has the
   * whole response, and nginx publishes before the last byte leaves.
   */
  private readonly publishing = new Map<string, Promise<void>>();

  constructor(
    readonly directory: string,
    readonly maxEntryBytes = MAX_ENTRY_BYTES,
    private readonly onError: (message: string, error: unknown) => void = () => {},
  ) {}

  /** Creates the directory (once; again after a failure, e.g. when someone removed it). */
  prepare(): Promise<void> {
    this.ready ??= mkdir(this.directory, { recursive: true }).then(
      () => undefined,
      (error: unknown) => {
        this.ready = undefined;
        throw error;
      },
    );
    return this.ready;
  }

  async lookup(key: string, nowMs = Date.now()): Promise<Lookup> {
    const name = entryFileName(key);
    await this.publishing.get(name);
    let handle;
    try {
      handle = await open(join(this.directory, name), 'r');
    } catch {
      return { status: 'MISS' };
    }
    try {
      const { size } = await handle.stat();
      if (size < LENGTH_BYTES) return { status: 'MISS' };
      const length = Buffer.alloc(LENGTH_BYTES);
      await handle.read(length, 0, LENGTH_BYTES, 0);
      const metadataLength = length.readUInt32BE();
      if (metadataLength > MAX_METADATA_BYTES || LENGTH_BYTES + metadataLength > size) return { status: 'MISS' };
      const json = Buffer.alloc(metadataLength);
      await handle.read(json, 0, metadataLength, LENGTH_BYTES);
      const metadata: unknown = JSON.parse(json.toString());
      if (!isMetadata(metadata)) return { status: 'MISS' };
      if (metadata.expiresAt <= nowMs) return { status: 'EXPIRED' };
      const bodyLength = size - LENGTH_BYTES - metadataLength;
      const body = Buffer.alloc(bodyLength);
      if (bodyLength > 0) await handle.read(body, 0, bodyLength, LENGTH_BYTES + metadataLength);
      return { status: 'HIT', entry: { ...metadata, body } };
    } catch (error) {
      // A damaged entry is a miss: the next stored response replaces it.
      this.onError('content cache entry unreadable', error);
      return { status: 'MISS' };
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  startEntry(key: string, metadata: EntryMetadata): EntryWriter {
    const name = entryFileName(key);
    const target = join(this.directory, name);
    const temporary = join(this.directory, `.tmp-${name}-${process.pid}-${randomBytes(6).toString('hex')}`);
    let resolveSettled!: () => void;
    const settled = new Promise<void>((resolve) => {
      resolveSettled = resolve;
    });
    let state: 'writing' | 'finishing' | 'done' = 'writing';
    let size = 0;
    let stream: WriteStream | undefined;

    const drop = (reason: string, error?: unknown): void => {
      if (state === 'done') return;
      state = 'done';
      if (error !== undefined) this.onError(reason, error);
      const remove = () =>
        unlink(temporary)
          .catch(() => undefined)
          .then(resolveSettled);
      if (stream && !stream.closed) {
        stream.once('close', () => void remove());
        stream.destroy();
      } else void remove();
    };

    this.prepare().then(
      () => {
        if (state === 'done') {
          resolveSettled();
          return;
        }
        stream = createWriteStream(temporary, { flags: 'wx' });
        stream.on('error', (error) => {
          drop('content cache write failed', error);
        });
        // Chunks written before the directory was ready were queued in `pending`.
        stream.write(encodeMetadata(metadata));
        for (const chunk of pending) stream.write(chunk);
        pending.length = 0;
        if (state === 'finishing') publish(stream);
      },
      (error: unknown) => {
        drop('content cache directory unusable', error);
      },
    );

    const pending: Buffer[] = [];
    /** Once the file is open (`stream`): the directory callback above, or finish() after it. */
    const publish = (file: WriteStream): void => {
      file.end(() => {
        if (state === 'done') return;
        rename(temporary, target).then(
          () => {
            state = 'done';
            resolveSettled();
          },
          (error: unknown) => {
            drop('content cache publish failed', error);
          },
        );
      });
    };

    return {
      settled,
      write: (chunk: Buffer): boolean => {
        if (state !== 'writing') return false;
        size += chunk.length;
        if (size > this.maxEntryBytes) {
          drop('too large');
          return false;
        }
        if (stream) stream.write(chunk);
        else pending.push(chunk);
        return true;
      },
      finish: (): void => {
        if (state !== 'writing') return;
        state = 'finishing';
        this.publishing.set(name, settled);
        void settled.then(() => {
          if (this.publishing.get(name) === settled) this.publishing.delete(name);
        });
        if (stream) publish(stream);
      },
      abort: (): void => {
        if (state === 'writing') drop('aborted');
      },
    };
  }
}
