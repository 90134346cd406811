/**
 * How long an upstream response may be stored (policies.md §5.7, nginx
 * proxy_cache rules): Cache-Control `no-store`/`no-cache`/`private` or a
 * Set-Cookie or `Vary: *` forbid it; `s-maxage`/`max-age` and then `Expires`
 * give the lifetime; otherwise APICAST_CACHE_MAX_TIME applies.
 */

export interface StorableResponse {
  status: number;
  cacheControl: string | undefined;
  expires: string | undefined;
  setCookie: boolean;
  vary: string | undefined;
}

/** Seconds to keep the response, or 0 when it must not be stored. */
export function storageSeconds(
  response: StorableResponse,
  statusCodes: readonly number[],
  defaultSeconds: number,
  nowMs = Date.now(),
): number {
  if (!statusCodes.includes(response.status)) return 0;
  if (response.setCookie) return 0;
  if (response.vary?.split(',').some((v) => v.trim() === '*')) return 0;
  if (response.cacheControl !== undefined) {
    const directives = new Map<string, string | undefined>();
    for (const part of response.cacheControl.split(',')) {
      const nameAndValue: (string | undefined)[] = part.trim().split('=', 2);
      const [name, value] = nameAndValue;
      if (name) directives.set(name.toLowerCase(), value?.replace(/^"|"$/g, ''));
    }
    if (directives.has('no-store') || directives.has('no-cache') || directives.has('private')) return 0;
    const maxAge = directives.get('s-maxage') ?? directives.get('max-age');
    if (maxAge !== undefined) {
      const seconds = Number(maxAge);
      return Number.isInteger(seconds) && seconds > 0 ? seconds : 0;
    }
  }
  if (response.expires !== undefined) {
    const at = Date.parse(response.expires);
    if (Number.isNaN(at)) return 0; // an invalid date means "already expired" (RFC 9111 §5.3)
    return Math.max(0, Math.floor((at - nowMs) / 1000));
  }
  return defaultSeconds;
}
