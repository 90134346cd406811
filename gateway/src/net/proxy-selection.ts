/**
 * Which forward proxy an outgoing URL goes through (gateway.md §1.8):
 * HTTP_PROXY for http, HTTPS_PROXY for https (lowercase variants win, read by
 * settings), ALL_PROXY as fallback; NO_PROXY = comma list of hosts/domains
 * (leading `.` = suffix; a bare domain also matches its subdomains, as curl
 * does), `host:port` = that port only, IP addresses literally (IPv6 bare or
 * `[v6]:port`; no CIDR ranges), `*` = never proxy. Pure.
 */

export interface ProxyEnv {
  httpProxy: string | undefined;
  httpsProxy: string | undefined;
  allProxy: string | undefined;
  noProxy: string | undefined;
}

export function isExcluded(hostname: string, port: number, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const [pattern, entryPort] = splitEntry(entry);
    if (entryPort !== undefined && Number(entryPort) !== port) continue;
    const domain = pattern.startsWith('.') ? pattern.slice(1) : pattern;
    if (host === domain || host.endsWith(`.${domain}`)) return true;
  }
  return false;
}

/** `host[:port]`, `[v6]:port`, `[v6]` or a bare IPv6 address (colons but no brackets: no port). */
function splitEntry(entry: string): [string, string | undefined] {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return [bracketed[1], bracketed[2]];
  const colons = entry.split(':').length - 1;
  if (colons === 1) {
    const [host, port] = entry.split(':') as [string, string];
    return [host, port];
  }
  return [entry, undefined];
}

/** The proxy URL for `target`, or undefined to connect directly. */
export function proxyFor(target: URL, env: ProxyEnv): string | undefined {
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  if (isExcluded(target.hostname, port, env.noProxy)) return undefined;
  const specific = target.protocol === 'https:' ? env.httpsProxy : target.protocol === 'http:' ? env.httpProxy : undefined;
  return specific ?? env.allProxy;
}
