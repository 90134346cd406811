/**
 * The configuration store of one worker (gateway.md §5.3): services by id and
 * a host → services index. Loads merge into it; each store() swaps the maps
 * in one synchronous step, so a request sees either the old or the new
 * configuration, never half of each.
 */
import type { CompiledConfiguration, CompiledService } from './compiled.js';

/** What the request path and policies may read. */
export interface ConfigurationView {
  /** Services registered for this (lower-cased, port-less) host, in configuration order. Stale entries included. */
  findByHost(host: string): readonly CompiledService[];
  findById(id: string): CompiledService | undefined;
  all(): readonly CompiledService[];
  /** True once any configuration (even with zero services) was stored. */
  readonly configured: boolean;
}

/** What loaders (file, portal, management push, lazy per host) feed. */
export interface ConfigurationStore extends ConfigurationView {
  /**
   * Adds/overwrites (gateway.md §5.3): each service replaces the one with the
   * same id; each host named in `configuration` gets the list computed from it
   * alone; other hosts keep theirs. Marks the store configured.
   * `ttlSeconds` (< 0 or undefined = never) sets when these host entries go stale.
   * `replaceHost` (lazy loader, gateway.md §5.2): `configuration` is the portal's whole answer for
   * this host, so the host's list is replaced even when the answer has no service for it (removed).
   */
  store(configuration: CompiledConfiguration, ttlSeconds?: number, options?: StoreOptions): void;
  /** DELETE /config: empties the store and marks it not configured. */
  reset(): void;
  /** True when `host` has entries that have not expired (lazy loader decides whether to fetch). */
  isFresh(host: string): boolean;
  /** Called after every store()/reset() (e.g. to dispose replaced chains). */
  onChange(listener: () => void): void;
}

export interface StoreOptions {
  replaceHost?: string | undefined;
}

interface HostEntry {
  services: readonly CompiledService[];
  expiresAt: number;
}

export class InMemoryConfigurationStore implements ConfigurationStore {
  private byId = new Map<string, CompiledService>();
  private byHost = new Map<string, HostEntry>();
  private isConfigured = false;
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly options: { pathRouting: boolean; now?: () => number } = { pathRouting: false }) {}

  get configured(): boolean {
    return this.isConfigured;
  }

  findByHost(host: string): readonly CompiledService[] {
    const entry = this.byHost.get(host);
    if (!entry) return [];
    // A host entry counts only while it points at the service currently stored under that id.
    let current = true;
    for (const service of entry.services)
      if (this.byId.get(service.id) !== service) {
        current = false;
        break;
      }
    return current ? entry.services : entry.services.filter((s) => this.byId.get(s.id) === s);
  }

  findById(id: string): CompiledService | undefined {
    return this.byId.get(id);
  }

  all(): readonly CompiledService[] {
    return [...this.byId.values()];
  }

  isFresh(host: string): boolean {
    const entry = this.byHost.get(host);
    return entry !== undefined && entry.expiresAt > this.now();
  }

  store(configuration: CompiledConfiguration, ttlSeconds?: number, options: StoreOptions = {}): void {
    const byId = new Map(this.byId);
    const byHost = new Map(this.byHost);
    const expiresAt = ttlSeconds === undefined || ttlSeconds < 0 ? Infinity : this.now() + ttlSeconds * 1000;
    const hostLists = new Map<string, CompiledService[]>();
    for (const service of configuration.services) {
      byId.set(service.id, service);
      for (const host of service.hosts) {
        const list = hostLists.get(host);
        if (!list) hostLists.set(host, [service]);
        else if (this.options.pathRouting) list.push(service);
        // else: first service wins; the compiler already logged "skipping host …".
      }
    }
    for (const [host, services] of hostLists) byHost.set(host, { services, expiresAt });
    // The host's fresh answer names no service for it: what it had is gone (removed in the portal).
    if (options.replaceHost !== undefined && !hostLists.has(options.replaceHost)) byHost.delete(options.replaceHost);
    this.byId = byId;
    this.byHost = byHost;
    this.isConfigured = true;
    for (const listener of this.listeners) listener();
  }

  reset(): void {
    this.byId = new Map();
    this.byHost = new Map();
    this.isConfigured = false;
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
