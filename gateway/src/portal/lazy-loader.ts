/**
 * The lazy loader (gateway.md §5.2, spec README "configuration loading"): on a
 * request for host H, fetch H's configuration from the portal unless the last
 * fetch for H is younger than APICAST_CONFIGURATION_CACHE seconds (0 = fetch
 * every time, < 0 = once). Concurrent requests for one host share one fetch
 * (the original's per-host lock). A failed fetch, or a fetched configuration
 * that fails validation, is logged and changes nothing: the store keeps
 * serving H's last good configuration instead of answering 404.
 */
import type { PortalResult } from './remote-v2.js';
import type { ConfigurationSink } from './configuration-sink.js';
import type { LogSink } from './log-sink.js';

export interface LazyLoaderOptions {
  /** Fetches the configuration for one host (loadFromPortal bound to its options). */
  fetchForHost(host: string): Promise<PortalResult>;
  sink: ConfigurationSink;
  cacheSeconds: number;
  log: LogSink;
  now?: () => number;
  /** Bounds the per-host freshness table (APICAST_SERVICE_CACHE_SIZE). */
  maxHosts?: number;
}

export class LazyLoader {
  private readonly freshUntil = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly now: () => number;

  constructor(private readonly options: LazyLoaderOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Resolves once H's configuration is as fresh as the cache allows. Never rejects. */
  ensure(host: string): Promise<void> {
    const until = this.freshUntil.get(host);
    if (until !== undefined && until > this.now()) return Promise.resolve();
    const running = this.inFlight.get(host);
    if (running) return running;
    const fetch = this.fetch(host).finally(() => this.inFlight.delete(host));
    this.inFlight.set(host, fetch);
    return fetch;
  }

  /** Forget freshness (after DELETE /config the next request fetches again). */
  reset(): void {
    this.freshUntil.clear();
  }

  private async fetch(host: string): Promise<void> {
    const { log, sink, cacheSeconds } = this.options;
    let result: PortalResult;
    try {
      result = await this.options.fetchForHost(host);
    } catch (error) {
      result = { ok: false, error: (error as Error).message };
    }
    if (!result.ok) {
      log.warn(`failed to load configuration for host ${host}, keeping its last good configuration: ${result.error}`);
      return;
    }
    let applied;
    try {
      applied = await sink.apply(result.configuration, `portal (${result.via}) for host ${host}`, host);
    } catch (error) {
      applied = { ok: false as const, error: (error as Error).message };
    }
    if (!applied.ok) {
      log.error(`invalid configuration for host ${host}, keeping its last good configuration: ${applied.error}`);
      return;
    }
    if (cacheSeconds !== 0) {
      this.freshUntil.delete(host); // re-insert so the Map's order is the age order
      this.freshUntil.set(host, cacheSeconds < 0 ? Number.POSITIVE_INFINITY : this.now() + cacheSeconds * 1000);
      const max = this.options.maxHosts ?? 1000;
      while (this.freshUntil.size > max) this.freshUntil.delete(this.freshUntil.keys().next().value as string);
    }
  }
}
