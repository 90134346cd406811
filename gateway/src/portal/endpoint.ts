/**
 * THREESCALE_PORTAL_ENDPOINT, taken apart once (gateway.md §2.2): the base URL
 * without userinfo, the Basic credentials from the userinfo, and whether the
 * endpoint has a path (which selects the mapping-service / "configs by host"
 * protocol A). Pure: no I/O here.
 */

export interface PortalEndpoint {
  /** scheme://host[:port] — no userinfo, no path. */
  origin: string;
  /** The path of the endpoint without trailing slashes; '' when the endpoint has none (or only '/'). */
  path: string;
  /** `Basic base64(user:password)` or undefined without userinfo. Never logged. */
  authorization: string | undefined;
  /** The endpoint with the credentials replaced by `***`, safe for logs. */
  display: string;
}

export function parsePortalEndpoint(url: URL): PortalEndpoint {
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const authorization = user === '' && password === '' ? undefined : `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const path = url.pathname.replace(/\/+$/, '');
  const display = `${url.protocol}//${authorization ? '***@' : ''}${url.host}${path}`;
  return { origin: `${url.protocol}//${url.host}`, path, authorization, display };
}

/** Joins path segments with exactly one `/` between them (duplicate slashes collapse, gateway.md §2.2). */
export function joinPath(...segments: string[]): string {
  return `/${segments
    .join('/')
    .split('/')
    .filter((s) => s !== '')
    .join('/')}`;
}

/** Request URL on the portal: origin + joined path + optional query. */
export function portalUrl(endpoint: PortalEndpoint, segments: string[], query?: Record<string, string>): string {
  const search = query ? `?${new URLSearchParams(query).toString()}` : '';
  return `${endpoint.origin}${joinPath(...segments)}${search}`;
}
