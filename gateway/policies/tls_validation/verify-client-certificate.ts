/**
 * Client-certificate verification of tls_validation (policies.md §5.31)
 * with node:crypto: the presented certificate must be whitelisted itself or
 * be issued (signature checked) by a whitelisted certificate, and be within
 * its validity period. Partial chains are accepted: a whitelisted
 * intermediate or leaf is a trust anchor, as the original's store flags.
 * Messages are OpenSSL's verification error strings.
 *
 * `maxDepth` is APICAST_HTTPS_VERIFY_DEPTH with OpenSSL's meaning: how many
 * untrusted intermediates may sit between the leaf and the trust anchor.
 */
import { X509Certificate } from 'node:crypto';

export const NO_CERTIFICATE = 'Invalid certificate verification context';

function validityError(certificate: X509Certificate, now: Date): string | undefined {
  if (new Date(certificate.validFrom) > now) return 'certificate is not yet valid';
  if (new Date(certificate.validTo) < now) return 'certificate has expired';
  return undefined;
}

function parse(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** The verified path: the leaf first, the trust anchor last (one element when the leaf is whitelisted itself). */
export type PathResult = { error: string; path?: undefined } | { error?: undefined; path: X509Certificate[] };

/**
 * Returns undefined when valid, else the verification error. `presented`
 * are the other certificates the client sent (intermediates): they may
 * link the leaf to a whitelisted certificate but are never trusted themselves.
 */
export function verifyClientCertificate(
  pem: string | undefined,
  trusted: readonly X509Certificate[],
  now = new Date(),
  presented: readonly string[] = [],
  maxDepth = 1,
): string | undefined {
  return verifyClientPath(pem, trusted, now, presented, maxDepth).error;
}

/** verifyClientCertificate, also returning the path it verified (revocation checks need the issuer). */
export function verifyClientPath(
  pem: string | undefined,
  trusted: readonly X509Certificate[],
  now = new Date(),
  presented: readonly string[] = [],
  maxDepth = 1,
): PathResult {
  if (!pem) return { error: NO_CERTIFICATE };
  const leaf = parse(pem);
  if (!leaf) return { error: 'unable to decode issuer public key' };
  const intermediates = presented.map(parse).filter((c): c is X509Certificate => c !== undefined && !c.raw.equals(leaf.raw));
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  // Each round either ends or adds one distinct presented certificate, so the loop is bounded.
  for (;;) {
    if (trusted.some((anchor) => anchor.raw.equals(current.raw))) return checked(path, now);
    const anchors = trusted.filter((anchor) => current.checkIssued(anchor));
    if (anchors.length > 0) {
      const signer = anchors.find((issuer) => current.verify(issuer.publicKey));
      if (!signer) return { error: 'certificate signature failure' };
      return checked([...path, signer], now);
    }
    const next = intermediates.find((candidate) => !path.includes(candidate) && current.checkIssued(candidate));
    if (!next) return { error: 'unable to get local issuer certificate' };
    // path minus the leaf = intermediates so far; `next` would be one more (it is not trusted, else an anchor above matched).
    if (path.length - 1 >= maxDepth) return { error: 'certificate chain too long' };
    if (!current.verify(next.publicKey)) return { error: 'certificate signature failure' };
    path.push(next);
    current = next;
  }
}

/**
 * The issuer of `certificate` (signature checked) among `candidates`, for a
 * whitelisted leaf whose path has no second element.
 */
export function findIssuer(certificate: X509Certificate, candidates: readonly X509Certificate[]): X509Certificate | undefined {
  return candidates.find((c) => !c.raw.equals(certificate.raw) && certificate.checkIssued(c) && certificate.verify(c.publicKey));
}

function checked(path: X509Certificate[], now: Date): PathResult {
  const error = firstValidityError(path, now);
  return error ? { error } : { path };
}

function firstValidityError(path: readonly X509Certificate[], now: Date): string | undefined {
  for (const certificate of path) {
    const error = validityError(certificate, now);
    if (error) return error;
  }
  return undefined;
}
