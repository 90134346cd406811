/**
 * Digests of TLS material (CA bundles, client certificates, keys) for the
 * keys of connection caches: upstream pools, HTTP/2 sessions, forward-proxy
 * dispatchers. A cached connection carries the certificate it was opened
 * with, so two upstreams whose material differs must never share one, even
 * when the PEMs have the same length. Memoised because the same PEM strings
 * come back on every request of a configuration; bounded like the pools.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

const digests = new LRUCache<string, string>({ max: 1000 });

/** '' for no material; otherwise a sha256 digest of it (base64url). */
export function materialDigest(pem: string | undefined): string {
  if (!pem) return '';
  let digest = digests.get(pem);
  if (digest === undefined) {
    digest = createHash('sha256').update(pem).digest('base64url');
    digests.set(pem, digest);
  }
  return digest;
}
