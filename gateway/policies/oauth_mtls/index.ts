/**
 * oauth_mtls (policies.md §5.21, RFC 8705 certificate-bound tokens): the
 * token's `cnf["x5t#S256"]` must equal base64url(SHA-256(DER of the TLS
 * client certificate)); otherwise 401 `{"error": "invalid_token"}`.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import type { OauthMtlsConfig } from './config.generated.js';

const DENIAL = { body: '{"error": "invalid_token"}', headers: { 'Content-Type': 'application/json; charset=utf-8' } };

/** apicast puts the JWT payload in ctx.jwt; oidc_authentication the whole parsed token (payload under `payload`). */
export function confirmationThumbprint(jwt: Record<string, unknown> | undefined): unknown {
  if (!jwt) return undefined;
  const claims = (typeof jwt['payload'] === 'object' && jwt['payload'] !== null ? jwt['payload'] : jwt) as Record<string, unknown>;
  const cnf = claims['cnf'];
  return typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>)['x5t#S256'] : undefined;
}

export function certificateThumbprint(pem: string): string | undefined {
  try {
    return createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url');
  } catch {
    return undefined;
  }
}

const factory: PolicyFactory<OauthMtlsConfig> = () => {
  return {
    access(ctx: PolicyContext): void {
      const expected = confirmationThumbprint(ctx.jwt);
      const pem = ctx.request.tlsClientCertificate;
      const actual = pem ? certificateThumbprint(pem) : undefined;
      if (typeof expected !== 'string' || actual === undefined || expected !== actual) ctx.exit(401, DENIAL);
    },
  };
};

export default factory;
