/**
 * tls_validation (policies.md §5.31): in access, the TLS client certificate
 * must verify against the whitelist; otherwise `error_status` (400) with the
 * verification error and a newline. Needs the HTTPS listener to ask for
 * client certificates. APICAST_HTTPS_VERIFY_DEPTH bounds the intermediates.
 *
 * Revocation (APIcast 3.13+, `revocation_check_type`): `crl` checks the
 * client certificate against the CRLs of `revoke_list` (crl.ts); `ocsp`
 * asks an OCSP responder (ocsp.ts). A revoked certificate, an `unknown`
 * OCSP answer and any OCSP failure (no URL, responder down, bad answer) are
 * refused like an invalid certificate; the detail is logged.
 */
import { X509Certificate } from 'node:crypto';
import { Agent } from 'undici';
import { PolicyConfigurationError, type PolicyBuildContext, type PolicyContext, type PolicyFactory } from '../../src/chain/policy.js';
import { findIssuer, verifyClientPath } from './verify-client-certificate.js';
import { crlError, parseRevocationLists, type RevocationList } from './crl.js';
import { OcspChecker, OcspFailure, type OcspStatus } from './ocsp.js';
import type { TlsValidationConfig } from './config.generated.js';

/** Bodies of the OCSP refusals (OpenSSL's verification strings). */
export const OCSP_ERRORS = {
  revoked: 'certificate revoked',
  unknown: 'OCSP unknown cert',
  failed: 'OCSP verification failed',
  needed: 'OCSP verification needed',
} as const;

function parsePem(pem: string): X509Certificate[] {
  try {
    return [new X509Certificate(pem)];
  } catch {
    return [];
  }
}

function ocspAgent(context: PolicyBuildContext): Agent {
  // One keep-alive pool for every tls_validation instance of this gateway, closed with it. Names resolve
  // like every outgoing call (RESOLVER); an https responder's certificate is verified when OPENSSL_VERIFY is on.
  const { outbound } = context.runtime;
  return context.runtime.own(
    'tls_validation:ocsp-agent',
    () =>
      new Agent({
        keepAliveTimeout: 30_000,
        connections: 32,
        connect: { timeout: 5000, lookup: outbound.lookup, rejectUnauthorized: context.settings.opensslVerify },
      }),
    (agent) => agent.close(),
  );
}

const tlsValidation: PolicyFactory<TlsValidationConfig> = (configuration, context) => {
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
  const revocation = configuration.revocation_check_type ?? 'none';

  let lists: RevocationList[] = [];
  if (revocation === 'crl') {
    lists = (configuration.revoke_list ?? []).flatMap((entry, index) => {
      try {
        return parseRevocationLists(entry.pem_certificate);
      } catch (error) {
        throw new PolicyConfigurationError(`revoke_list[${index}].pem_certificate`, `not a PEM CRL: ${(error as Error).message}`);
      }
    });
  }

  let ocsp: OcspChecker | undefined;
  if (revocation === 'ocsp') {
    const url = configuration.ocsp_responder_url;
    if (url) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        parsed = undefined;
      }
      if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
        throw new PolicyConfigurationError('ocsp_responder_url', `not an http(s) URL: ${JSON.stringify(url)}`);
      }
    }
    const agent = ocspAgent(context);
    const { outbound } = context.runtime;
    ocsp = new OcspChecker({
      responderUrl: url || undefined,
      cacheTtl: configuration.cache_ttl,
      // HTTP(S)_PROXY / NO_PROXY apply to the responder as to any outgoing call.
      dispatcher: (target) => outbound.dispatcherFor(target, agent) ?? agent,
    });
  }

  const refuse = (ctx: PolicyContext, error: string, detail?: string): void => {
    if (detail) ctx.log.warn({ policy: 'tls_validation', reason: detail }, `TLS certificate validation failed: ${error}`);
    ctx.exit(errorStatus, { body: `${error}\n`, headers: { 'Content-Type': 'text/plain' } });
  };
  const ocspOutcome = (ctx: PolicyContext, status: OcspStatus): void => {
    if (status === 'revoked') refuse(ctx, OCSP_ERRORS.revoked, 'the OCSP responder says the certificate is revoked');
    else if (status === 'unknown') refuse(ctx, OCSP_ERRORS.unknown, 'the OCSP responder does not know the certificate');
  };

  return {
    access(ctx: PolicyContext): void | Promise<void> {
      // The intermediates the client sent (chain minus its leaf) can link it to a whitelisted CA.
      const chain = ctx.request.tlsClientCertificateChain ?? [];
      const presented = chain.slice(1);
      const result = verifyClientPath(ctx.request.tlsClientCertificate, trusted, new Date(), presented, maxDepth);
      if (result.error !== undefined) {
        refuse(ctx, result.error);
        return;
      }
      if (revocation === 'none') return undefined;
      const leaf = result.path[0];
      // A whitelisted leaf is its own anchor: its issuer, if any is known, is looked up among the others.
      const issuer = result.path[1] ?? findIssuer(leaf, [...trusted, ...presented.flatMap(parsePem)]);
      if (lists.length > 0) {
        const error = crlError(leaf, issuer, lists, new Date());
        if (error) {
          refuse(ctx, error, `CRL check: ${error}`);
          return;
        }
      }
      if (!ocsp) return undefined;
      const hit = ocsp.cached(leaf);
      if (hit) {
        ocspOutcome(ctx, hit);
        return;
      }
      return ocsp.check(leaf, issuer).then(
        (status) => {
          ocspOutcome(ctx, status);
        },
        (error: unknown) => {
          if (!(error instanceof OcspFailure)) throw error;
          refuse(ctx, error.kind === 'responder' ? OCSP_ERRORS.failed : OCSP_ERRORS.needed, error.message);
        },
      );
    },
  };
};

export default tlsValidation;
