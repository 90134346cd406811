/**
 * Client-certificate verification of tls_validation (policies.md §5.31)
 * with node:crypto: the presented certificate must be whitelisted itself or
 * be issued (signature checked) by a whitelisted certificate, and be within
 * its validity period. Partial chains are accepted: a whitelisted
 * intermediate or leaf is a trust anchor, as the original's store flags.
 * Messages are OpenSSL's verification error strings.
 */
import { X509Certificate } from 'node:crypto';

export const NO_CERTIFICATE = 'Invalid certificate verification context';

function validityError(certificate: X509Certificate, now: Date): string | undefined {
  if (new Date(certificate.validFrom) > now) return 'certificate is not yet valid';
  if (new Date(certificate.validTo) < now) return 'certificate has expired';
  return undefined;
}

/** Returns undefined when valid, else the verification error. */
export function verifyClientCertificate(pem: string | undefined, trusted: readonly X509Certificate[], now = new Date()): string | undefined {
  if (!pem) return NO_CERTIFICATE;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    return 'unable to decode issuer public key';
  }
  const expired = validityError(certificate, now);
  if (trusted.some((anchor) => anchor.raw.equals(certificate.raw))) return expired;
  const issuers = trusted.filter((anchor) => certificate.checkIssued(anchor));
  if (issuers.length === 0) return 'unable to get local issuer certificate';
  const signer = issuers.find((issuer) => certificate.verify(issuer.publicKey));
  if (!signer) return 'certificate signature failure';
  return expired ?? validityError(signer, now);
}
