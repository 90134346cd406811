/**
 * 3scale_batcher (policies.md §5.2): authorizations cached gateway-wide for
 * auths_ttl seconds (authorize.xml on a miss), usage counted gateway-wide and
 * reported every batch_report_seconds in one POST /transactions.xml per
 * service. apicast then neither authorizes nor reports (skipApicastAccess).
 */
import type { Logger } from 'pino';
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import type { Settings } from '../../src/settings.js';
import type { CompiledService, ErrorResponse } from '../../src/config/compiled.js';
import type { BackendResponse } from '../../src/backend/client.js';
import type { CacheHandler } from '../../src/backend/cache-handlers.js';
import { backendRuntime } from '../../src/backend/runtime.js';
import { credentialsKey } from '../../src/credentials/credentials.js';
import { Usage } from '../../src/mapping/usage.js';
import { sharedDict } from '../../src/workers/shared-dicts.js';
import type { GatewayRuntime } from '../../src/runtime/gateway-runtime.js';
import type { ThreescaleBatcherConfig } from './config.generated.js';
import { authKey, batchKey, parseBatchKey, reportCredentials } from './keys.js';

const auths = (runtime: GatewayRuntime) => sharedDict(runtime, 'batcher_cached_auths');
const batches = (runtime: GatewayRuntime) => sharedDict(runtime, 'batcher_batched_reports');

/** Estimated bytes one pending counter takes in the original's shared dictionary (key + value + node). */
const ENTRY_OVERHEAD = 64;

class Reporter {
  private readonly keys = new Set<string>();
  private timer: NodeJS.Timeout;
  /** Estimated size of the counters added since the last flush (APICAST_POLICY_BATCHER_SHARED_MEMORY_SIZE). */
  private pendingBytes = 0;
  service: CompiledService | undefined;

  constructor(
    seconds: number,
    private readonly runtime: GatewayRuntime,
    private readonly settings: Settings,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => void this.flush(), seconds * 1000);
    this.timer.unref();
  }

  track(key: string): void {
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.pendingBytes += key.length + ENTRY_OVERHEAD;
    // The original's dictionary would evict (lose) reports once full; reporting early keeps them.
    const limit = this.settings.batcherSharedMemorySize;
    if (limit !== undefined && this.pendingBytes >= limit) {
      this.log.info(
        { pendingBytes: this.pendingBytes },
        '3scale_batcher: pending reports reached APICAST_POLICY_BATCHER_SHARED_MEMORY_SIZE, reporting now',
      );
      this.pendingBytes = 0;
      // After this key's increment (the caller's next await), so it is part of the report.
      setImmediate(
        () =>
          void this.flush().catch((err: unknown) => {
            this.log.warn({ err }, '3scale_batcher: early report failed');
          }),
      );
    }
  }

  /** Configuration replaced: stop the timer and report what this instance counted. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private flushing: Promise<void> | undefined;

  /** One flush at a time: the timer and an early (memory-limit) report must not both take the same counts. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Takes every tracked counter (atomically subtracting what it read) and reports it; failures are put back. */
  private async flushOnce(): Promise<void> {
    const service = this.service;
    this.pendingBytes = 0;
    if (!service || this.keys.size === 0) return;
    const dict = batches(this.runtime);
    const taken: { key: string; n: number }[] = [];
    const byCredentials = new Map<string, { credentials: ReturnType<typeof reportCredentials>; usage: Usage }>();
    for (const key of [...this.keys]) {
      const n = Number((await dict.get(key)) ?? 0);
      if (!(n > 0)) {
        this.keys.delete(key);
        continue;
      }
      await dict.incr(key, -n, 0);
      const parsed = parseBatchKey(key);
      if (!parsed) {
        this.log.warn({}, '3scale_batcher: unparsable batch key dropped');
        continue;
      }
      taken.push({ key, n });
      const credentials = reportCredentials(parsed.credentials);
      const group = credentialsKey(credentials);
      let entry = byCredentials.get(group);
      if (!entry) {
        entry = { credentials, usage: new Usage() };
        byCredentials.set(group, entry);
      }
      entry.usage.add(parsed.metric, n);
    }
    if (byCredentials.size === 0) return;
    const { client } = backendRuntime(this.runtime, this.settings, this.log);
    const response = await client.report(service, [...byCredentials.values()]);
    if (response.status < 200 || response.status >= 300) {
      this.log.warn({ status: response.status }, '3scale_batcher: report failed, counts kept for the next round');
      for (const { key, n } of taken) await dict.incr(key, n, 0);
    }
  }
}

function header(response: BackendResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function deny(ctx: PolicyContext, error: ErrorResponse): void {
  ctx.exit(error.status, { body: error.body, headers: { 'Content-Type': error.contentType } });
}

const factory: PolicyFactory<ThreescaleBatcherConfig> = (configuration, build) => {
  const authsTtl = configuration.auths_ttl ?? 10;
  const reportSeconds = configuration.batch_report_seconds ?? 10;
  // One reporter per policy instance; the core calls dispose() when its configuration is replaced.
  const reporter = new Reporter(Math.max(reportSeconds, 1), build.runtime, build.settings, build.log);

  async function addToBatch(service: CompiledService, credentials: NonNullable<PolicyContext['credentials']>, usage: Usage): Promise<void> {
    reporter.service = service;
    const dict = batches(build.runtime);
    for (const [metric, delta] of usage.entries()) {
      const key = batchKey(service.id, credentials, metric);
      reporter.track(key);
      await dict.incr(key, delta, 0);
    }
  }

  return {
    dispose: () => reporter.stop(),
    rewrite(ctx: PolicyContext) {
      ctx.skipApicastAccess = true;
    },
    async access(ctx: PolicyContext) {
      const service = ctx.service;
      const credentials = ctx.credentials;
      if (!service || !credentials) return;
      const usage = ctx.usage ?? new Usage();
      if (usage.isEmpty) {
        deny(ctx, service.errors.noMatch);
        return;
      }
      const key = authKey(service.id, credentials, usage);
      const cached = await auths(build.runtime).get(key);
      const metrics = build.runtime.metrics;
      if (cached !== undefined) metrics?.batchingHits.inc();
      else metrics?.batchingMisses.inc();
      if (cached !== undefined) {
        if (String(cached) === '200') return addToBatch(service, credentials, usage);
        deny(ctx, String(cached).includes(':limits_exceeded') ? service.errors.limitsExceeded : service.errors.authFailed);
        return;
      }
      const runtime = backendRuntime(build.runtime, ctx.settings, ctx.log);
      const response = await runtime.client.authorize(service, { usage, credentials, extra: ctx.extraBackendParams, trace: ctx.trace });
      const publish = ctx.shared['publish_backend_auth'];
      if (typeof publish === 'function') (publish as (c: PolicyContext, r: BackendResponse) => void)(ctx, response);
      // With a caching policy, its handler also sees every answer (api_keys cache, as apicast keys it).
      const handler = ctx.shared['cache_handler'] as CacheHandler | undefined;
      const apiKey = `${service.id}:${credentialsKey(credentials)}:${usage.encode()}`;
      handler?.(runtime.cache, apiKey, response, ctx.ttl);
      if (response.status === 200) {
        await auths(build.runtime).set(key, 200, authsTtl * 1000);
        return addToBatch(service, credentials, usage);
      }
      if (response.status >= 400 && response.status < 500) {
        const reason = header(response, '3scale-rejection-reason') ?? '';
        await auths(build.runtime).set(key, `${response.status}:${reason}`, authsTtl * 1000);
        deny(ctx, reason === 'limits_exceeded' ? service.errors.limitsExceeded : service.errors.authFailed);
        return;
      }
      // Backend unavailable: only the caching policy's downtime cache can allow.
      if (handler && runtime.cache.get(apiKey) === 200) return addToBatch(service, credentials, usage);
      deny(ctx, service.errors.authFailed);
    },
  };
};

export default factory;
