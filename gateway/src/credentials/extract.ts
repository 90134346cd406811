/**
 * Credential extraction (gateway.md §4.3). Returns undefined when a required
 * element is missing or the location is unsupported (⇒ auth-missing).
 */
import type { CompiledService } from '../config/compiled.js';
import type { GatewayRequest } from '../http/request.js';
import type { Args } from '../http/args.js';
import type { Credentials } from './credentials.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Header lookup: case-insensitive, '-' and '_' equivalent. */
function headerValue(request: GatewayRequest, name: string): string | undefined {
  const direct = request.headers.get(name);
  if (direct !== undefined) return direct;
  const normalized = name.replace(/_/g, '-').toLowerCase();
  for (const [header, values] of request.headers) {
    if (header.replace(/_/g, '-').toLowerCase() === normalized) return values[0];
  }
  return undefined;
}

function parseAuthorization(request: GatewayRequest): { scheme: string; value: string } | undefined {
  const header = request.headers.get('authorization');
  if (header === undefined) return undefined;
  const match = /^(\w+)\s*(.*)$/s.exec(header);
  return match ? { scheme: match[1], value: match[2] } : undefined;
}

function basic(value: string): { user: string; password: string } | undefined {
  const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
  const colon = decoded.lastIndexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function bearer(request: GatewayRequest): string | undefined {
  const auth = parseAuthorization(request);
  return auth?.scheme === 'Bearer' ? auth.value : undefined;
}

/** Query (raw, first occurrence, name case-insensitive) then, for POST/PUT/PATCH, the form body (decoded). */
function fromQueryOrForm(query: Args, form: Args | undefined, name: string): string | undefined {
  return query.rawFirstIgnoreCase(name) ?? form?.get(name);
}

/** The query names a service reads its credentials from (`query` location). */
function queryNames(service: CompiledService): string[] {
  const { userKey, appId, appKey } = service.credentials;
  if (service.backendVersion === 'oauth') return ['access_token'];
  return service.backendVersion === '2' ? [appId, appKey] : [userKey];
}

/**
 * Credentials of the request, or undefined when incomplete. Synchronous
 * unless the form body must be read: a query-located credential missing from
 * the query of a POST/PUT/PATCH (the only case that costs a promise).
 */
export function extractCredentials(
  service: CompiledService,
  request: GatewayRequest,
): Credentials | undefined | Promise<Credentials | undefined> {
  if (service.credentials.location === 'query' && BODY_METHODS.has(request.method)) {
    const query = request.args();
    if (queryNames(service).some((name) => query.rawFirstIgnoreCase(name) === undefined)) {
      return request.formArgs().then((form) => extractFrom(service, request, form));
    }
  }
  return extractFrom(service, request, undefined);
}

function extractFrom(service: CompiledService, request: GatewayRequest, form: Args | undefined): Credentials | undefined {
  const { location, userKey, appId, appKey } = service.credentials;
  const version = service.backendVersion;
  if (version === 'oauth') {
    let token: string | undefined;
    if (location === 'query') token = fromQueryOrForm(request.args(), form, 'access_token');
    else if (location === 'headers') token = headerValue(request, 'access_token');
    // Every location falls back to the Bearer token (and `authorization` is just that).
    token ??= bearer(request);
    return token === undefined ? undefined : { kind: 'access_token', access_token: token };
  }
  switch (location) {
    case 'query': {
      const query = request.args();
      if (version === '2') {
        const id = fromQueryOrForm(query, form, appId);
        const key = fromQueryOrForm(query, form, appKey);
        return id === undefined || key === undefined ? undefined : { kind: 'app_id', app_id: id, app_key: key };
      }
      const key = fromQueryOrForm(query, form, userKey);
      return key === undefined ? undefined : { kind: 'user_key', user_key: key };
    }
    case 'headers': {
      if (version === '2') {
        const id = headerValue(request, appId);
        const key = headerValue(request, appKey);
        return id === undefined || key === undefined ? undefined : { kind: 'app_id', app_id: id, app_key: key };
      }
      const key = headerValue(request, userKey);
      return key === undefined ? undefined : { kind: 'user_key', user_key: key };
    }
    case 'authorization': {
      const auth = parseAuthorization(request);
      if (!auth) return undefined;
      if (auth.scheme === 'Basic') {
        const pair = basic(auth.value);
        if (!pair) return undefined;
        if (version === '2') return { kind: 'app_id', app_id: pair.user, app_key: pair.password };
        const key = pair.user !== '' ? pair.user : pair.password;
        return { kind: 'user_key', user_key: key };
      }
      if (auth.scheme === 'Bearer') {
        // Version 2 with a Bearer token has an app_id but no app_key: incomplete ⇒ auth-missing.
        if (version === '2') return undefined;
        return { kind: 'user_key', user_key: auth.value };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
