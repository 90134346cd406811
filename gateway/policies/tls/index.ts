/**
 * tls (policies.md §5.30): per-service server certificate for the HTTPS
 * listener, chosen in the ssl_certificate phase by SNI. Entries are read and
 * checked once per configuration load; unusable ones are skipped with a
 * warning, and the first usable entry replaces the listener's default
 * certificate. The chosen material is left in ctx.shared[TLS_CERTIFICATE]
 * for the listener's SNI callback.
 */
import { createSecureContext } from 'node:tls';
import type { Policy, PolicyBuildContext, PolicyContext } from '../../src/chain/policy.js';
import { certificatePem, privateKeyPem, readSource } from '../upstream_mtls/certificate-source.js';

export const TLS_CERTIFICATE = 'tls_certificate';

interface CertificateEntry {
  certificate_path?: string;
  certificate_key_path?: string;
  certificate?: string;
  certificate_key?: string;
}

export function loadEntry(entry: CertificateEntry): { cert: string; key: string } {
  const embedded = entry.certificate !== undefined && entry.certificate_key !== undefined;
  const cert = certificatePem(embedded ? readSource(entry.certificate!, 'embedded') : readSource(entry.certificate_path ?? '', 'path'));
  const key = privateKeyPem(embedded ? readSource(entry.certificate_key!, 'embedded') : readSource(entry.certificate_key_path ?? '', 'path'));
  createSecureContext({ cert, key }); // the key must belong to the certificate
  return { cert, key };
}

export default function tls(configuration: Record<string, unknown>, build: PolicyBuildContext): Policy {
  const entries = (configuration['certificates'] as CertificateEntry[] | undefined) ?? [];
  let chosen: { cert: string; key: string } | undefined;
  entries.forEach((entry, index) => {
    try {
      const material = loadEntry(entry);
      chosen ??= material;
    } catch (error) {
      build.log.warn(`tls: certificates[${index}] skipped: ${(error as Error).message}`);
    }
  });
  return {
    ssl_certificate(ctx: PolicyContext): void {
      if (chosen && ctx.shared[TLS_CERTIFICATE] === undefined) ctx.shared[TLS_CERTIFICATE] = chosen;
    },
  };
}
