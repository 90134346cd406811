/**
 * The access token of a request, where porta takes it from: the
 * `access_token` query parameter or body field, or HTTP Basic auth (what
 * our gateway sends from THREESCALE_PORTAL_ENDPOINT's userinfo, `TOKEN:`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Fields } from './body.js';

export function tokenOf(headers: IncomingHttpHeaders, query: URLSearchParams, body: Fields): string | undefined {
  const fromQuery = query.get('access_token');
  if (fromQuery) return fromQuery;
  if (typeof body.access_token === 'string' && body.access_token !== '') return body.access_token;
  const authorization = headers.authorization ?? '';
  const basic = /^Basic\s+(.+)$/i.exec(authorization);
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    return user || password || undefined;
  }
  return undefined;
}

export const ACCESS_DENIED = { error: 'Access denied' };
export const WRONG_TOKEN = { error: 'Your access token does not have the correct permissions' };
