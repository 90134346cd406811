/**
 * tls (policies.md §5.30): per-service server certificate for the HTTPS
 * listener, chosen in the ssl_certificate phase by SNI. Entries are read and
 * checked once per configuration load; unusable ones are skipped with a
 * warning, and the first usable entry replaces the listener's default
 * certificate. The chosen material is left in ctx.shared[TLS_CERTIFICATE]
 * for the listener's SNI callback.
 */
import { createSecureContext } from 'node:tls';
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { certificatePem, privateKeyPem, readSource } from '../upstream_mtls/certificate-source.js';
import type { TlsConfig } from './config.generated.js';

export const TLS_CERTIFICATE = 'tls_certificate';

/** One entry of `certificates`: embedded (data URLs) or local files, by the manifest's anyOf. */
type CertificateEntry = NonNullable<TlsConfig['certificates']>[number];

/** A field of either branch: the other branch types it `unknown` (its index signature). */
function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function loadEntry(entry: CertificateEntry): { cert: string; key: string } {
  const certificate = text(entry.certificate);
  const certificateKey = text(entry.certificate_key);
  const embedded = certificate !== undefined && certificateKey !== undefined;
  const cert = certificatePem(embedded ? readSource(certificate, 'embedded') : readSource(text(entry.certificate_path) ?? '', 'path'));
  const key = privateKeyPem(embedded ? readSource(certificateKey, 'embedded') : readSource(text(entry.certificate_key_path) ?? '', 'path'));
  createSecureContext({ cert, key }); // the key must belong to the certificate
  return { cert, key };
}

const factory: PolicyFactory<TlsConfig> = (configuration, build) => {
  const entries = configuration.certificates ?? [];
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
};

export default factory;
