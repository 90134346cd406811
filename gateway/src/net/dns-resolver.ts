/**
 * The gateway's DNS resolver (gateway.md §10): nameservers = RESOLVER first,
 * then /etc/resolv.conf's; its `search` domains honoured; /etc/hosts read
 * first as the original does; A records (CNAMEs followed by the server)
 * cached per name for their TTL; an expired entry is served stale while one
 * refresh runs; when a name stops resolving its last good answer is kept
 * indefinitely. All nameservers are asked in parallel, the first answer wins.
 *
 * `lookup` plugs into net.connect / undici's `connect.lookup`, so upstream,
 * backend and portal connections all go through it. The cache is shared
 * across workers as gateway.md §10 says: each process reads its own copy (no
 * IPC on the connection path), every fresh answer is published through
 * `onAnswer` and other workers `adopt` it (gateway/src/workers/dns-sharing.ts),
 * so one query serves every worker and `/dns/cache` shows one view.
 */
import { Resolver } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { readFileSync } from 'node:fs';
import type { LogSink } from '../portal/log-sink.js';
import { asError } from '../shared/errors.js';

export interface DnsAnswer {
  address: string;
  ttl: number;
}

interface CacheEntry {
  name: string;
  answers: DnsAnswer[];
  ttl: number;
  expiresAt: number;
  refreshing: boolean;
}

/** One cached answer as it travels between processes (expiresAt: epoch ms, the workers share the clock). */
export interface SharedDnsEntry {
  name: string;
  answers: DnsAnswer[];
  ttl: number;
  expiresAt: number;
}

export interface ResolverOptions {
  /** RESOLVER: `ip[:port]` or `[v6]:port`. */
  resolver: string | undefined;
  /** Defaults to /etc/resolv.conf; injectable for tests. */
  resolvConf?: string;
  hostsFile?: string;
  log: LogSink;
  now?: () => number;
  /** Per-query timeout in ms. */
  timeoutMs?: number;
}

export interface ResolvConf {
  nameservers: string[];
  search: string[];
}

/** Parses resolv.conf text: nameserver and search/domain lines. */
export function parseResolvConf(text: string): ResolvConf {
  const nameservers: string[] = [];
  let search: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [keyword, ...values] = line.split(/\s+/);
    if (keyword === 'nameserver' && values[0]) nameservers.push(values[0]);
    if ((keyword === 'search' || keyword === 'domain') && values.length > 0) search = values;
  }
  return { nameservers, search };
}

/** /etc/hosts text → name → IPv4 addresses. */
export function parseHosts(text: string): Map<string, string[]> {
  const hosts = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const [address, ...names] = raw.replace(/#.*$/, '').trim().split(/\s+/);
    if (!address || isIP(address) !== 4) continue;
    for (const name of names) hosts.set(name.toLowerCase(), [...(hosts.get(name.toLowerCase()) ?? []), address]);
  }
  return hosts;
}

/** `10.0.0.1`, `10.0.0.1:5353`, `[::1]:53` → the form dns.setServers takes. */
export function normalizeNameserver(value: string): string {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (v6) return v6[2] ? `[${v6[1]}]:${v6[2]}` : v6[1];
  return value;
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

export class DnsResolver {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly resolvers: Resolver[];
  private readonly search: string[];
  private readonly hosts: Map<string, string[]>;
  private readonly now: () => number;
  private rotation = 0;
  /** Called with every answer this process got from a nameserver (not with adopted ones). */
  onAnswer: ((entry: SharedDnsEntry) => void) | undefined;

  constructor(private readonly options: ResolverOptions) {
    this.now = options.now ?? Date.now;
    const conf = parseResolvConf(options.resolvConf ?? readOr('/etc/resolv.conf', ''));
    const servers = [...(options.resolver ? [options.resolver] : []), ...conf.nameservers].map(normalizeNameserver);
    this.search = conf.search;
    this.hosts = parseHosts(options.hostsFile ?? readOr('/etc/hosts', ''));
    // One resolver per nameserver so they can be asked in parallel.
    this.resolvers = servers.map((server) => {
      const resolver = new Resolver({ timeout: options.timeoutMs ?? 2000, tries: 1 });
      resolver.setServers([server]);
      return resolver;
    });
  }

  /** Names to try for `name`: with search domains when it has no dot (ndots 1), then itself. */
  private candidates(name: string): string[] {
    if (name.endsWith('.')) return [name.slice(0, -1)];
    return name.includes('.') ? [name, ...this.search.map((d) => `${name}.${d}`)] : [...this.search.map((d) => `${name}.${d}`), name];
  }

  private async query(name: string): Promise<DnsAnswer[]> {
    let lastError: Error = new Error(`${name}: no nameserver configured`);
    for (const candidate of this.candidates(name)) {
      try {
        const answers = await Promise.any(this.resolvers.map((r) => r.resolve4(candidate, { ttl: true })));
        if (answers.length > 0) return answers.map((a) => ({ address: a.address, ttl: a.ttl }));
      } catch (error) {
        const first = error instanceof AggregateError ? (error.errors.at(0) as Error | undefined) : (error as Error);
        lastError = first ?? lastError;
      }
    }
    throw new Error(`${name} could not be resolved: ${lastError.message}`);
  }

  private store(name: string, answers: DnsAnswer[]): CacheEntry {
    const ttl = Math.min(...answers.map((a) => a.ttl));
    const entry = { name, answers, ttl, expiresAt: this.now() + ttl * 1000, refreshing: false };
    this.cache.set(name, entry);
    this.onAnswer?.({ name, answers, ttl, expiresAt: entry.expiresAt });
    return entry;
  }

  /** An answer another worker got: kept unless this process already holds a fresher one. */
  adopt(shared: SharedDnsEntry): void {
    const current = this.cache.get(shared.name);
    if (current && current.expiresAt >= shared.expiresAt) return;
    this.cache.set(shared.name, { ...shared, refreshing: false });
  }

  private refresh(entry: CacheEntry): void {
    if (entry.refreshing) return;
    entry.refreshing = true;
    this.query(entry.name).then(
      (answers) => {
        this.store(entry.name, answers);
      },
      (error: unknown) => {
        // Unresolvable now: keep the last good answer, try again on a later request.
        entry.refreshing = false;
        this.options.log.warn(`DNS refresh failed, keeping the last answer for ${entry.name}: ${asError(error).message}`);
      },
    );
  }

  /** IPv4 addresses of `name`: IP literals as they are, /etc/hosts, then the cache/DNS. */
  async resolve(hostname: string): Promise<string[]> {
    const name = hostname.toLowerCase();
    if (isIP(name)) return [name];
    const fromHosts = this.hosts.get(name);
    if (fromHosts) return fromHosts;
    const entry = this.cache.get(name);
    if (entry) {
      if (entry.expiresAt <= this.now()) this.refresh(entry); // stale while refreshing
      return entry.answers.map((a) => a.address);
    }
    return this.store(name, await this.query(name)).answers.map((a) => a.address);
  }

  /** One address, round-robin over the answers (peer selection of gateway.md §4.0 balancer). */
  async pick(hostname: string): Promise<string> {
    const addresses = await this.resolve(hostname);
    return addresses[this.rotation++ % addresses.length];
  }

  /** For net.connect / undici `connect.lookup`. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    // Typed as LookupOptions, but callers outside Node's own net (undici) pass what they like.
    const given: unknown = options;
    const wantAll = typeof given === 'object' && given !== null && (given as { all?: boolean }).all === true;
    this.resolve(hostname).then(
      (addresses) => {
        const family = (a: string) => (isIP(a) === 6 ? 6 : 4);
        if (wantAll)
          (callback as (e: null, a: { address: string; family: number }[]) => void)(
            null,
            addresses.map((a) => ({ address: a, family: family(a) })),
          );
        else {
          const address = addresses[this.rotation++ % addresses.length];
          callback(null, address, family(address));
        }
      },
      (error: unknown) => {
        const failure = Object.assign(asError(error), { code: 'ENOTFOUND', hostname });
        callback(failure, '', 4);
      },
    );
  };

  /** GET /dns/cache (gateway.md §6): name → {value:{answers, name, ttl}, expires_in}. */
  snapshot(): Record<
    string,
    { value: { answers: { address: string; ttl: number; name: string; type: number }[]; name: string; ttl: number }; expires_in: number }
  > {
    const out: ReturnType<DnsResolver['snapshot']> = {};
    for (const [name, entry] of this.cache) {
      out[name] = {
        value: { answers: entry.answers.map((a) => ({ address: a.address, ttl: a.ttl, name, type: 1 })), name, ttl: entry.ttl },
        expires_in: Math.round((entry.expiresAt - this.now()) / 1000),
      };
    }
    return out;
  }
}
