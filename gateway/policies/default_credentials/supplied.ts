/**
 * Which credential parameters the client supplied, looked up where the
 * service reads them (gateway.md §4.3). Presence only: an empty value counts
 * as supplied (policies.md §5.10: supplied credentials are never replaced).
 */
import type { CompiledService } from '../../src/config/compiled.js';
import type { GatewayRequest } from '../../src/http/request.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

function authorization(request: GatewayRequest): { scheme: string; user?: string; password?: string; token?: string } | undefined {
  const header = request.headers.get('authorization');
  const match = header === undefined ? null : /^(\w+)\s*(.*)$/.exec(header);
  if (!match) return undefined;
  const [, scheme, value] = match as unknown as [string, string, string];
  if (scheme === 'Bearer') return { scheme, token: value };
  if (scheme === 'Basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.lastIndexOf(':');
    return colon < 0 ? { scheme, user: decoded } : { scheme, user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return { scheme };
}

/** True when the named credential parameter (`userKey`/`appId`/`appKey` of the service) is present. */
export async function isSupplied(
  request: GatewayRequest,
  service: CompiledService,
  which: 'userKey' | 'appId' | 'appKey',
): Promise<boolean> {
  const name = service.credentials[which];
  switch (service.credentials.location) {
    case 'query': {
      if (request.args().rawFirstIgnoreCase(name) !== undefined) return true;
      if (!BODY_METHODS.has(request.method)) return false;
      return (await request.formArgs()).has(name);
    }
    case 'headers':
      return request.headers.has(name) || request.headers.has(name.replace(/_/g, '-')) || request.headers.has(name.replace(/-/g, '_'));
    case 'authorization': {
      const auth = authorization(request);
      if (!auth) return false;
      if (which === 'appKey') return auth.password !== undefined;
      return auth.user !== undefined || auth.token !== undefined;
    }
    default:
      return false;
  }
}
