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
  return match ? { scheme: match[1]!, value: match[2]! } : undefined;
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
async function fromQueryOrBody(request: GatewayRequest, query: Args, name: string): Promise<string | undefined> {
  const value = query.rawFirstIgnoreCase(name);
  if (value !== undefined) return value;
  if (!BODY_METHODS.has(request.method)) return undefined;
  return (await request.formArgs()).get(name);
}

export async function extractCredentials(service: CompiledService, request: GatewayRequest): Promise<Credentials | undefined> {
  const { location, userKey, appId, appKey } = service.credentials;
  const version = service.backendVersion;
  if (version === 'oauth') {
    let token: string | undefined;
    if (location === 'query') token = await fromQueryOrBody(request, request.args(), 'access_token');
    else if (location === 'headers') token = headerValue(request, 'access_token');
    // Every location falls back to the Bearer token (and `authorization` is just that).
    token ??= bearer(request);
    return token === undefined ? undefined : { kind: 'access_token', access_token: token };
  }
  switch (location) {
    case 'query': {
      const query = request.args();
      if (version === '2') {
        const id = await fromQueryOrBody(request, query, appId);
        const key = await fromQueryOrBody(request, query, appKey);
        return id === undefined || key === undefined ? undefined : { kind: 'app_id', app_id: id, app_key: key };
      }
      const key = await fromQueryOrBody(request, query, userKey);
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
