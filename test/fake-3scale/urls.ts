/**
 * porta's Proxy::PortGenerator: endpoints are stored with an explicit port
 * (`https://api.example.com` → `https://api.example.com:443`), which is what
 * reads answer afterwards. A reconciler comparing its spec with what 3scale
 * returns has to expect it.
 */
const DEFAULT_PORTS: Partial<Record<string, string>> = { http: '80', https: '443', ws: '80', wss: '443' };

export function withExplicitPort(endpoint: string): string {
  const parts = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(endpoint);
  if (!parts) return endpoint;
  const [, scheme, authority, rest] = parts as unknown as [string, string, string, string];
  const port = DEFAULT_PORTS[scheme.toLowerCase()];
  // Already has a port: `host:123` or `[v6]:123` (a bare `[v6]` has no port).
  if (port === undefined || /:\d+$/.test(authority)) return endpoint;
  return `${scheme}://${authority}:${port}${rest}`;
}
