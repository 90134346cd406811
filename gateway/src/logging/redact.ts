/**
 * Credentials never reach logs (spec README "logs"): credential query values
 * become `***`, cache keys become a short hash.
 */
import { createHash } from 'node:crypto';

export const DEFAULT_CREDENTIAL_PARAMS = ['user_key', 'app_id', 'app_key', 'access_token'];

/** Short, stable, non-reversible tag for a secret-bearing string (cache keys, tokens). */
export function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12);
}

/**
 * Replaces the values of the named query parameters (case-insensitive) in a
 * request target or URL by `***`; everything else stays byte-for-byte.
 */
export function redactQuery(target: string, names: Iterable<string>): string {
  const q = target.indexOf('?');
  if (q < 0) return target;
  const wanted = new Set([...names].map((n) => n.toLowerCase()));
  const query = target.slice(q + 1).split('&').map((part) => {
    const eq = part.indexOf('=');
    if (eq < 0) return part;
    let name = part.slice(0, eq);
    try { name = decodeURIComponent(name); } catch { /* keep raw */ }
    return wanted.has(name.toLowerCase()) ? `${part.slice(0, eq)}=***` : part;
  });
  return `${target.slice(0, q)}?${query.join('&')}`;
}
