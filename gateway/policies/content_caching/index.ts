/**
 * content_caching (policies.md §5.7): caches upstream responses per
 * scheme + method + original request URI + service. The first rule with
 * `cache: true` whose condition holds enables storing for a request; a
 * stored entry is served whether or not storing is enabled (quirk kept).
 *
 * Like nginx's proxy cache, a hit replaces only the upstream call: it is
 * served once every access handler ran. Placed before the proxying policy
 * (apicast/upstream/routing) the hit is served in content; placed after it,
 * in access (the proxying policy's authorization already ran).
 *
 * Entries live on disk (disk-cache.ts), shared by all workers, and are
 * bounded by disk-sweep.ts (expired removed, total kept under 256 MiB,
 * oldest first, every 60 s off the request path). Statuses
 * reported: MISS, EXPIRED, HIT. nginx's BYPASS (proxy_cache_bypass), STALE
 * and UPDATING (proxy_cache_use_stale) and REVALIDATED
 * (proxy_cache_revalidate) need directives the original never sets, so they
 * never occur.
 */
import type { PolicyBuildContext, PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { compileCondition, type CompiledCondition } from '../../src/shared/conditions/index.js';
import { liquidScope } from '../../src/shared/liquid/index.js';
import { storageSeconds } from './cache-control.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskCache, type EntryWriter, type Lookup } from './disk-cache.js';
import { startSweeping } from './disk-sweep.js';
import type { ContentCachingConfig } from './config.generated.js';

interface Rule {
  cache: boolean;
  header: string | undefined;
  condition: CompiledCondition;
}

/** Per-request state under ctx.shared[STATE]. */
interface RequestState {
  key: string;
  header: string | undefined;
  storing: boolean;
  lookup: Lookup;
  served: boolean;
  /** Set in header_filter when this response is being stored. */
  writer: EntryWriter | undefined;
}

const STATE = 'content_caching_state';
const PROXYING_POLICIES = new Set([
  'apicast',
  'upstream',
  'routing',
  'apicast.policy.apicast',
  'apicast.policy.upstream',
  'apicast.policy.routing',
]);
const CACHEABLE_METHODS = new Set(['GET', 'HEAD']);
/**
 * The original's `/tmp/cache`; `os.tmpdir()` honours TMPDIR, which is how
 * tests give each gateway its own store (there is no setting for it).
 */
export function cacheDirectory(): string {
  return join(tmpdir(), 'cache');
}

/**
 * One store per gateway and directory, kept across configuration reloads like nginx's cache
 * zone; owned by the gateway's runtime, which stops its sweeper when the gateway stops.
 */
function storeFor(directory: string, build: PolicyBuildContext): DiskCache {
  const warn = (message: string, error: unknown): void => {
    build.log.warn({ err: error }, message);
  };
  return build.runtime.own(
    `content-cache:${directory}`,
    () => {
      // Expired entries are removed and the directory kept under DEFAULT_MAX_TOTAL_BYTES, off the request path.
      const stopSweeping = startSweeping(directory, warn);
      return { store: new DiskCache(directory, undefined, warn), stopSweeping };
    },
    (owned) => {
      owned.stopSweeping();
    },
  ).store;
}

const NOT_STORED_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'set-cookie']);

/** True when a proxying policy precedes this one in the service chain (then content would never run). */
function placedAfterProxy(build: PolicyBuildContext): boolean {
  const chain = build.service?.proxy?.policy_chain;
  if (!Array.isArray(chain)) return false;
  for (const entry of chain) {
    if (entry.name === 'content_caching' || entry.name === 'apicast.policy.content_caching') return false;
    if (PROXYING_POLICIES.has(entry.name)) return true;
  }
  return false;
}

const factory: PolicyFactory<ContentCachingConfig> = async (configuration, build) => {
  const rules: Rule[] = (configuration.rules ?? []).map((rule, index) => ({
    cache: rule.cache,
    // Schema default "X-Cache-Status" is UI documentation; the code sends no header unless set.
    header: rule.header || undefined,
    condition: compileCondition(rule.condition, {
      field: `rules[${index}].condition`,
      onInvalidLiquid: (m) => {
        build.log.warn(m);
      },
    }),
  }));
  const settings = build.settings;
  const serveInAccess = placedAfterProxy(build);
  const store = storeFor(cacheDirectory(), build);
  try {
    await store.prepare();
  } catch (error) {
    // Not fatal (nginx starts too): entries are then neither found nor stored, and creation is retried per write.
    build.log.warn({ err: error, directory: store.directory }, 'content cache directory cannot be created');
  }

  const serveHit = (ctx: PolicyContext): void => {
    const state = ctx.shared[STATE] as RequestState | undefined;
    if (!state || state.lookup.status !== 'HIT' || ctx.contentDecided) return;
    const { entry } = state.lookup;
    const headers: Record<string, string | string[]> = {};
    for (const [name, values] of entry.headers) headers[name] = values.length === 1 ? values[0] : values;
    if (state.header) headers[state.header] = 'HIT';
    state.served = true;
    build.runtime.metrics?.contentCaching.inc({ status: 'HIT' });
    ctx.exit(entry.status, { body: entry.body, headers });
  };

  return {
    async access(ctx: PolicyContext): Promise<void> {
      const { request } = ctx;
      if (!CACHEABLE_METHODS.has(request.method)) return;
      let header: string | undefined;
      let storing = false;
      let scope: object | undefined;
      for (const rule of rules) {
        if (!rule.cache) continue; // cache: false rules never stop the scan
        if (rule.condition.evaluate((scope ??= liquidScope(ctx)))) {
          storing = true;
          header = rule.header;
          break;
        }
      }
      const key = `${request.scheme}${request.method}${ctx.originalRequest.uri}${ctx.service?.id ?? ''}`;
      const state: RequestState = { key, header, storing, lookup: await store.lookup(key), served: false, writer: undefined };
      ctx.shared[STATE] = state;
      if (serveInAccess) serveHit(ctx);
    },
    content(ctx: PolicyContext): void {
      serveHit(ctx);
    },
    header_filter(ctx: PolicyContext): void {
      const state = ctx.shared[STATE] as RequestState | undefined;
      if (!state || state.served) return;
      if (state.header) ctx.response.headers.set(state.header, state.lookup.status);
      if (ctx.upstreamStatus !== undefined) build.runtime.metrics?.contentCaching.inc({ status: state.lookup.status });
      // Only upstream answers are stored, never the gateway's own responses.
      if (!state.storing || ctx.upstreamStatus === undefined || ctx.exited) {
        state.storing = false;
        return;
      }
      const headers = ctx.response.headers;
      const seconds = storageSeconds(
        {
          status: ctx.response.status,
          cacheControl: headers.get('Cache-Control'),
          expires: headers.get('Expires'),
          setCookie: headers.has('Set-Cookie'),
          vary: headers.get('Vary'),
        },
        settings.cacheStatusCodes,
        settings.cacheMaxTimeSeconds,
      );
      if (seconds <= 0) {
        state.storing = false;
        return;
      }
      const stored: [string, string[]][] = [];
      for (const [name, values] of headers) {
        const lower = name.toLowerCase();
        if (NOT_STORED_HEADERS.has(lower) || (state.header && lower === state.header.toLowerCase())) continue;
        stored.push([name, [...values]]);
      }
      const writer = store.startEntry(state.key, { status: ctx.response.status, headers: stored, expiresAt: Date.now() + seconds * 1000 });
      state.writer = writer;
      // A response that never reached its end (client gone, upstream cut) must not be published.
      void ctx.finished.then(() => {
        writer.abort();
      });
    },
    body_filter(ctx: PolicyContext, chunk: Buffer, eof: boolean): undefined {
      const state = ctx.shared[STATE] as RequestState | undefined;
      const writer = state?.writer;
      if (!writer) return;
      if (chunk.length > 0 && !writer.write(chunk)) {
        state.writer = undefined;
        return;
      }
      if (eof) {
        writer.finish();
        state.writer = undefined;
      }
    },
  };
};

export default factory;
