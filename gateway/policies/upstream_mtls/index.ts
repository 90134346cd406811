/**
 * upstream_mtls (policies.md §5.35): the client certificate presented to
 * this service's HTTPS upstream, overriding APICAST_PROXY_HTTPS_CERTIFICATE.
 * Read once per configuration load; unreadable or invalid material is logged
 * and the upstream connection then goes without a client certificate, as the
 * original.
 */
import { createSecureContext } from 'node:tls';
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { certificatePem, privateKeyPem, readSource } from './certificate-source.js';
import type { UpstreamMtlsConfig } from './config.generated.js';

export function loadClientCertificate(config: UpstreamMtlsConfig): { cert: string; key: string } {
  if (!config.certificate) throw new Error('certificate is not set');
  if (!config.certificate_key) throw new Error('certificate_key is not set');
  const cert = certificatePem(readSource(config.certificate, config.certificate_type));
  const key = privateKeyPem(readSource(config.certificate_key, config.certificate_key_type));
  createSecureContext({ cert, key }); // throws when the key does not belong to the certificate
  return { cert, key };
}

const factory: PolicyFactory<UpstreamMtlsConfig> = (configuration, build) => {
  let material: { cert: string; key: string } | undefined;
  try {
    material = loadClientCertificate(configuration);
  } catch (error) {
    build.log.error(`upstream_mtls: no client certificate will be sent: ${(error as Error).message}`);
  }
  return {
    balancer(ctx: PolicyContext): void {
      if (material) ctx.balancer.clientCertificate = material;
    },
  };
};

export default factory;
