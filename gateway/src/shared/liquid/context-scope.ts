/**
 * The Liquid scope of a request (policies.md §4.3): the §4.3 variables, the
 * well-known context keys of §2.1 in their original snake_case names
 * (`service.id`, `jwt.sub`, `credentials.user_key`, `original_request.path`,
 * `usage.deltas.hits`, …) and everything in `ctx.shared` (request-local
 * values, then chain exports).
 */
import type { PolicyContext } from '../../chain/policy.js';
import type { CompiledService } from '../../config/compiled.js';
import type { Usage } from '../../mapping/usage.js';
import type { Credentials } from '../../credentials/credentials.js';
import type { Upstream } from '../../upstream/upstream.js';
import { HeadersDrop, mergeScopes, requestVariables } from './scope.js';

const serviceViews = new WeakMap<CompiledService, Record<string, unknown>>();
const originalViews = new WeakMap<object, Record<string, unknown>>();

/** `service` as templates know it: the raw JSON plus the normalized fields (built once per compiled service). */
export function serviceView(service: CompiledService | undefined): Record<string, unknown> | undefined {
  if (!service) return undefined;
  let view = serviceViews.get(service);
  if (!view) {
    view = buildServiceView(service);
    serviceViews.set(service, view);
  }
  return view;
}

function buildServiceView(service: CompiledService): Record<string, unknown> {
  return {
    ...service.raw,
    id: service.id,
    system_name: service.systemName,
    hosts: [...service.hosts],
    backend_version: service.backendVersion,
    authentication_method: service.authenticationMethod,
  };
}

export function usageView(usage: Usage | undefined): Record<string, unknown> | undefined {
  if (!usage) return undefined;
  return { deltas: Object.fromEntries(usage.entries()), metrics: usage.metrics };
}

export function credentialsView(credentials: Credentials | undefined): Record<string, unknown> | undefined {
  if (!credentials) return undefined;
  const { kind: _kind, ...values } = credentials;
  return values;
}

export function upstreamView(upstream: Upstream | undefined): Record<string, unknown> | undefined {
  if (!upstream) return undefined;
  return {
    uri: { scheme: upstream.scheme, host: upstream.host, port: upstream.port, path: upstream.path ?? '', query: upstream.query ?? '' },
  };
}

/** Shared (request-local + exports) values; functions are left out (templates cannot call them). */
function sharedLayer(shared: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shared)) {
    const value = shared[key];
    if (typeof value !== 'function') out[key] = value;
  }
  return out;
}

/** Builds the scope for one render. Cheap enough per call; values change between phases. */
export function liquidScope(ctx: PolicyContext, extra?: Record<string, unknown>): Record<string, unknown> {
  const request = ctx.request;
  const original = ctx.originalRequest;
  const vars = requestVariables({
    uri: request.path,
    host: ctx.host,
    remote_addr: request.clientAddress,
    remote_port: request.clientPort,
    scheme: request.scheme,
    server_addr: request.serverAddress,
    server_port: request.serverPort,
    http_method: request.method,
    request_id: ctx.requestId,
    headers: HeadersDrop.live(request.headers),
  });
  let originalView = originalViews.get(original);
  if (!originalView) {
    originalView = {
      headers: new HeadersDrop(original.headers),
      host: original.host,
      path: original.path,
      query: original.query,
      uri: original.uri,
      server_addr: original.serverAddress,
    };
    originalViews.set(original, originalView);
  }
  const known: Record<string, unknown> = {
    service: serviceView(ctx.service),
    jwt: ctx.jwt,
    credentials: credentialsView(ctx.credentials),
    usage: usageView(ctx.usage),
    ttl: ctx.ttl,
    route_upstream: upstreamView(ctx.routeUpstream),
    original_request: originalView,
  };
  return mergeScopes(extra, vars, known, sharedLayer(ctx.shared));
}
