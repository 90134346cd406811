/**
 * The request target sent upstream (gateway.md §4.9). Pure.
 */
import { escapeUri, splitTarget } from '../http/uri.js';
import type { Upstream } from './upstream.js';

export interface TargetInput {
  rawTarget: string;
  /** Decoded, normalized current path. */
  path: string;
  /** Current raw query ('' when none). */
  query: string;
  /** A policy changed path or query. */
  rewritten: boolean;
}

/** Joins the upstream path prefix and the request path with exactly one slash. */
export function joinPaths(prefix: string, path: string): string {
  if (path === '' || path === '/') return prefix;
  const left = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const right = path.startsWith('/') ? path : `/${path}`;
  return left + right;
}

export function upstreamTarget(upstream: Upstream, request: TargetInput): string {
  if (upstream.path === null && upstream.query === null && !request.rewritten) {
    // No path in the upstream URL and nothing rewritten: the client's target, byte for byte.
    if (request.rawTarget.startsWith('/')) return request.rawTarget;
    const { path, query } = splitTarget(request.rawTarget);
    return query ? `${path}?${query}` : path;
  }
  const path = joinPaths(upstream.path ?? '', escapeUri(request.path)) || '/';
  const query = upstream.query ?? request.query;
  return query ? `${path}?${query}` : path;
}
