/**
 * The extended Liquid context of logging and custom_metrics (policies.md
 * §4.3): `req.headers`, `resp.headers`, `service`, `usage`,
 * `original_request`, `jwt` ({} if none), `credentials` (logging only) and
 * any nginx-style server variable by name (`status`, `request`,
 * `http_<header>`, `arg_<name>`, `sent_http_<header>`, …), resolved lazily.
 *
 * Credentials never reach a log (spec README "logs"): credential query values
 * in `request`/`request_uri`/`query_string`/`arg_*` are `***`, and the
 * `credentials` values are short hashes.
 */
import { hostname } from 'node:os';
import type { PolicyContext } from '../../chain/policy.js';
import { DEFAULT_CREDENTIAL_PARAMS, redactQuery, shortHash } from '../../logging/redact.js';
import { timeLocal } from '../../logging/access-log.js';
import { liquidScope } from './context-scope.js';
import { HeadersDrop } from './scope.js';

function credentialNames(ctx: PolicyContext): string[] {
  const c = ctx.service?.credentials;
  return c ? [...DEFAULT_CREDENTIAL_PARAMS, c.userKey, c.appId, c.appKey] : DEFAULT_CREDENTIAL_PARAMS;
}

function cookie(ctx: PolicyContext, name: string): string | undefined {
  for (const header of ctx.request.headers.getAll('cookie')) {
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
    }
  }
  return undefined;
}

/** Resolves one server variable; undefined when unknown or absent. */
function serverVariable(ctx: PolicyContext, name: string): unknown {
  const request = ctx.request;
  const names = credentialNames(ctx);
  const target = redactQuery(request.rawTarget, names);
  switch (name) {
    case 'status':
      return ctx.aborted ? 499 : ctx.response.status;
    case 'request':
      return `${request.method} ${target} HTTP/${request.httpVersion}`;
    case 'request_uri':
      return target;
    case 'request_method':
      return request.method;
    case 'query_string':
    case 'args': {
      const q = target.indexOf('?');
      return q < 0 ? '' : target.slice(q + 1);
    }
    case 'time_local':
      return timeLocal(new Date());
    case 'time_iso8601':
      return new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');
    case 'msec':
      return (Date.now() / 1000).toFixed(3);
    case 'request_time':
      return ((performance.now() - ctx.startedAt) / 1000).toFixed(3);
    case 'body_bytes_sent':
    case 'bytes_sent':
      return ctx.response.bytesSent;
    case 'upstream_status':
      return ctx.upstreamStatus;
    case 'upstream_response_time':
      return ctx.upstreamResponseTime?.toFixed(3);
    case 'upstream_addr':
      return ctx.routeUpstream ? `${ctx.routeUpstream.host}:${ctx.routeUpstream.port}` : undefined;
    case 'remote_user':
      return undefined;
    case 'server_protocol':
      return `HTTP/${request.httpVersion}`;
    case 'post_action_impact':
      return undefined;
    case 'hostname':
      return hostname();
    case 'uri':
    case 'document_uri':
      return request.path;
    case 'host':
      return ctx.host;
    case 'remote_addr':
      return request.clientAddress;
    case 'remote_port':
      return request.clientPort;
    case 'server_addr':
      return request.serverAddress;
    case 'server_port':
      return request.serverPort;
    case 'scheme':
      return request.scheme;
    case 'request_id':
      return ctx.requestId;
    default:
      break;
  }
  if (name.startsWith('http_')) return request.headers.get(name.slice(5).replace(/_/g, '-'));
  if (name.startsWith('sent_http_')) return ctx.response.headers.get(name.slice(10).replace(/_/g, '-'));
  if (name.startsWith('arg_')) {
    const arg = name.slice(4);
    const value = request.args().rawFirstIgnoreCase(arg);
    return value !== undefined && names.some((n) => n.toLowerCase() === arg.toLowerCase()) ? '***' : value;
  }
  if (name.startsWith('cookie_')) return cookie(ctx, name.slice(7));
  return undefined;
}

export interface ExtendedScopeOptions {
  /** logging exposes `credentials` (as short hashes); custom_metrics does not. */
  credentials: boolean;
}

/** A scope object whose unknown top-level names fall back to server variables. */
export function extendedLiquidScope(ctx: PolicyContext, options: ExtendedScopeOptions): object {
  const base = liquidScope(ctx);
  const fixed: Record<string, unknown> = {
    ...base,
    req: { headers: HeadersDrop.live(ctx.request.headers) },
    resp: { headers: HeadersDrop.live(ctx.response.headers) },
    jwt: ctx.jwt ?? {},
  };
  if (options.credentials && ctx.credentials) {
    const hashed: Record<string, string> = {};
    for (const [k, v] of Object.entries(ctx.credentials)) if (k !== 'kind' && typeof v === 'string') hashed[k] = shortHash(v);
    fixed['credentials'] = hashed;
  } else {
    delete fixed['credentials'];
  }
  const cache = new Map<string, unknown>();
  const lookup = (name: string): unknown => {
    if (Object.hasOwn(fixed, name)) return fixed[name];
    if (!cache.has(name)) cache.set(name, serverVariable(ctx, name));
    return cache.get(name);
  };
  // liquidjs asks `name in scope` then reads an own property: answer both for any name.
  return new Proxy(fixed, {
    has: (_t, name) => typeof name === 'string' && lookup(name) !== undefined,
    get: (_t, name) => (typeof name === 'string' ? lookup(name) : undefined),
    getOwnPropertyDescriptor: (_t, name) => {
      if (typeof name !== 'string') return undefined;
      const value = lookup(name);
      return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
    },
  });
}
