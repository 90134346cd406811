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
  if (target.indexOf('?') < 0) return target;
  return redactQueryNames(target, credentialNameSet(names));
}

/** Lower-cased name set for redactQueryNames (build once per service, not per request). */
export function credentialNameSet(names: Iterable<string>): ReadonlySet<string> {
  return new Set([...names].map((n) => n.toLowerCase()));
}

/** redactQuery with a prepared set of lower-cased names (the access log's per-request path). */
export function redactQueryNames(target: string, wanted: ReadonlySet<string>): string {
  const q = target.indexOf('?');
  if (q < 0) return target;
  const query = target
    .slice(q + 1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return part;
      let name = part.slice(0, eq);
      if (name.includes('%')) {
        try {
          name = decodeURIComponent(name);
        } catch {
          /* keep raw */
        }
      }
      return wanted.has(name.toLowerCase()) ? `${part.slice(0, eq)}=***` : part;
    });
  return `${target.slice(0, q)}?${query.join('&')}`;
}
