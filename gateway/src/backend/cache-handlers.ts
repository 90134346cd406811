/**
 * What an authorization answer does to the cache (gateway.md §4.7). The
 * caching policy exports one of these as `cache_handler`; otherwise
 * APICAST_BACKEND_CACHE_HANDLER picks strict (default) or resilient.
 */
import type { AuthCache } from './auth-cache.js';
import type { BackendResponse } from './client.js';

export type CacheHandler = (cache: AuthCache, key: string, response: BackendResponse, ttl?: number) => void;

/** No answer, status 0, or ≥ 499. */
export function isUnavailable(status: number): boolean {
  return !status || status >= 499;
}

export const strictHandler: CacheHandler = (cache, key, response, ttl) => {
  if (response.status === 200) cache.set(key, 200, ttl);
  else cache.delete(key);
};

/**
 * What the caching policy's resilient and allow store (policies.md §5.4): `0 < status < 500`. Not the
 * complement of isUnavailable: a 499 is stored (and then denies, as it is not 200) although the decision
 * counts it as unavailable.
 */
function isValidAnswer(status: number): boolean {
  return status > 0 && status < 500;
}

/** The caching policy's resilient: an outage keeps whatever is cached. */
export const resilientHandler: CacheHandler = (cache, key, response, ttl) => {
  if (isValidAnswer(response.status)) cache.set(key, response.status, ttl);
};

/**
 * APICAST_BACKEND_CACHE_HANDLER=resilient (quirk kept, gateway.md §4.7): any
 * status < 500 is stored, including the 0 of a connection failure.
 */
export const envResilientHandler: CacheHandler = (cache, key, response, ttl) => {
  if (response.status < 500) cache.set(key, response.status, ttl);
};

export const allowHandler: CacheHandler = (cache, key, response, ttl) => {
  if (isValidAnswer(response.status)) cache.set(key, response.status, ttl);
  else if (!cache.has(key)) cache.set(key, 200, ttl);
};

export const noneHandler: CacheHandler = (cache, key) => {
  cache.delete(key);
};

/** Unknown value ⇒ a handler that does nothing (gateway.md §1.4). */
export function envCacheHandler(name: string): CacheHandler {
  switch (name) {
    case 'strict':
      return strictHandler;
    case 'resilient':
      return envResilientHandler;
    default:
      return () => {};
  }
}
