/**
 * An upstream target (gateway.md §4.9): the service's api_backend or a URL
 * chosen by a routing/upstream policy.
 */
export interface Upstream {
  readonly scheme: 'http' | 'https';
  /** Hostname or IP (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
  /** Path of the URL; null when the URL has none (`http://host:port`): then the client target is forwarded as received. */
  readonly path: string | null;
  /** Query of the URL without `?`; null when none (the client's query is then forwarded). */
  readonly query: string | null;
  /** Host header to send (hostname_rewrite); default: host[:port when not the scheme default]. */
  readonly hostHeader: string | undefined;
  /** Backend API id when chosen by the routing policy (API-as-a-Product usage cleanup). */
  readonly ownerId: string | undefined;
  /** `scheme://host:port`: key of the connection pool. */
  readonly origin: string;
}

export class UpstreamUrlError extends Error {}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };
const SCHEMES: Partial<Record<string, 'http' | 'https'>> = { 'http:': 'http', 'https:': 'https', 'ws:': 'http', 'wss:': 'https' };

/** Parses an upstream URL (http, https, ws→http, wss→https). Throws UpstreamUrlError naming the problem. */
export function parseUpstream(url: string, options: { hostHeader?: string | undefined; ownerId?: string | undefined } = {}): Upstream {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UpstreamUrlError(`"${url}" is not a URL`);
  }
  const scheme = SCHEMES[parsed.protocol];
  if (!scheme) throw new UpstreamUrlError(`"${url}" has scheme ${parsed.protocol} (expected http, https, ws or wss)`);
  if (!parsed.hostname) throw new UpstreamUrlError(`"${url}" has no host`);
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORTS[scheme];
  // URL normalizes an absent path to "/": look at the raw string to tell them apart.
  const afterAuthority = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const hasPath = afterAuthority.startsWith('/');
  const hostLiteral = host.includes(':') ? `[${host}]` : host;
  return {
    scheme,
    host,
    port,
    path: hasPath ? parsed.pathname : null,
    query: parsed.search ? parsed.search.slice(1) : null,
    hostHeader: options.hostHeader || undefined,
    ownerId: options.ownerId,
    origin: `${scheme}://${hostLiteral}:${port}`,
  };
}

/** Host header value for an upstream: hostname_rewrite, else host plus a non-default port. */
export function upstreamHostHeader(upstream: Upstream): string {
  if (upstream.hostHeader) return upstream.hostHeader;
  const hostLiteral = upstream.host.includes(':') ? `[${upstream.host}]` : upstream.host;
  return upstream.port === DEFAULT_PORTS[upstream.scheme] ? hostLiteral : `${hostLiteral}:${upstream.port}`;
}
