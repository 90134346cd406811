/**
 * Standalone routing (policies.md §6.7): the first route whose match
 * conditions all hold wins; its nested routes refine it (the deepest
 * matching route that has a destination is used); nothing matched ⇒
 * undefined, i.e. the built-in not_found (404) answer. Our reading of the
 * match keys: `uri_path` is a path prefix at a segment boundary,
 * `http_method` is case-insensitive, `http_host` is compared with the
 * request host (lower-case, no port), `server_port` with the listener's port
 * or name, `always: true` matches everything. A route without `match` never
 * matches.
 */
import type { RouteDestination, RouteJson, RouteMatch } from './document.js';

export interface RoutingRequest {
  path: string;
  method: string;
  host: string;
  serverPort: number;
  /** Name of the listener the request came in on, if named. */
  listenerName?: string;
}

function pathHasPrefix(path: string, prefix: string): boolean {
  if (prefix === '' || prefix === '/') return true;
  const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return path === base || path.startsWith(`${base}/`);
}

export function routeMatches(match: RouteMatch | undefined, request: RoutingRequest): boolean {
  if (!match) return false;
  const checks: boolean[] = [];
  if (match.always !== undefined) checks.push(match.always);
  if (match.uri_path !== undefined) checks.push(pathHasPrefix(request.path, match.uri_path));
  if (match.http_method !== undefined) checks.push(match.http_method.toUpperCase() === request.method.toUpperCase());
  if (match.http_host !== undefined) checks.push(match.http_host.toLowerCase() === request.host);
  if (match.server_port !== undefined) {
    const wanted = String(match.server_port);
    checks.push(wanted === String(request.serverPort) || wanted === request.listenerName);
  }
  return checks.length > 0 && checks.every(Boolean);
}

export interface RouteDecision {
  route: string;
  destination: RouteDestination;
}

export function selectRoute(routes: readonly RouteJson[] | undefined, request: RoutingRequest, path = ''): RouteDecision | undefined {
  for (const [index, route] of (routes ?? []).entries()) {
    if (!routeMatches(route.match, request)) continue;
    const name = `${path}${route.name ?? `#${index}`}`;
    const refined = selectRoute(route.routes, request, `${name}/`);
    if (refined) return refined;
    if (route.destination) return { route: name, destination: route.destination };
    return undefined;
  }
  return undefined;
}
