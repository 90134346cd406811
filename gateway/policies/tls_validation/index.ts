/**
 * tls_validation (policies.md §5.31): in access, the TLS client certificate
 * must verify against the whitelist; otherwise `error_status` (400) with the
 * verification error and a newline. Needs the HTTPS listener to ask for
 * client certificates. APICAST_HTTPS_VERIFY_DEPTH bounds the intermediates.
 */
import { X509Certificate } from 'node:crypto';
import { PolicyConfigurationError, type PolicyContext, type PolicyFactory } from '../../src/chain/policy.js';
import type { TlsValidationConfig } from './config.generated.js';
import { verifyClientCertificate } from './verify-client-certificate.js';

const factory: PolicyFactory<TlsValidationConfig> = (configuration, context) => {
  const maxDepth = context.settings.httpsVerifyDepth;
  const whitelist = configuration.whitelist ?? [];
  const trusted = whitelist.map((entry, index) => {
    try {
      return new X509Certificate(entry.pem_certificate);
    } catch (error) {
      throw new PolicyConfigurationError(`whitelist[${index}].pem_certificate`, `not a PEM certificate: ${(error as Error).message}`);
    }
  });
  const errorStatus = configuration.error_status ?? 400;
  return {
    access(ctx: PolicyContext): void {
      // The intermediates the client sent (chain minus its leaf) can link it to a whitelisted CA.
      const chain = ctx.request.tlsClientCertificateChain ?? [];
      const error = verifyClientCertificate(ctx.request.tlsClientCertificate, trusted, new Date(), chain.slice(1), maxDepth);
      if (error !== undefined) ctx.exit(errorStatus, { body: `${error}\n`, headers: { 'Content-Type': 'text/plain' } });
    },
  };
};

export default factory;
