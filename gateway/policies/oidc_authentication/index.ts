/**
 * oidc_authentication (internal, policies.md §6.5; no manifest, so its
 * configuration is checked here): rewrite parses a Bearer token into
 * `ctx.jwt` ({header, payload, token}); access verifies it against the
 * issuer (gateway.md §4.3.1 rules): none/unparsable & required ⇒ 401 with
 * `WWW-Authenticate: Bearer`; present but not verified ⇒ 403; none and not
 * required ⇒ pass.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { PolicyConfigurationError } from '../../src/chain/policy.js';
import { OidcVerifier } from '../../src/shared/oidc/index.js';

const RETRY_MS = 5000;

function bearer(ctx: PolicyContext): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/.exec(ctx.request.headers.get('authorization') ?? '');
  return match?.[1];
}

const factory: PolicyFactory = async (configuration, build) => {
  const issuerEndpoint = configuration['issuer_endpoint'];
  const required = configuration['required'];
  const precomputed = configuration['oidc'];
  if (issuerEndpoint !== undefined && typeof issuerEndpoint !== 'string')
    throw new PolicyConfigurationError('issuer_endpoint', 'must be a URL string');
  if (typeof issuerEndpoint === 'string') {
    try {
      new URL(issuerEndpoint);
    } catch {
      throw new PolicyConfigurationError('issuer_endpoint', 'is not a URL');
    }
  }
  if (required !== undefined && typeof required !== 'boolean') throw new PolicyConfigurationError('required', 'must be a boolean');
  if (precomputed !== undefined && (precomputed === null || typeof precomputed !== 'object'))
    throw new PolicyConfigurationError('oidc', 'must be an object {issuer, config, keys}');
  if (issuerEndpoint === undefined && precomputed === undefined)
    throw new PolicyConfigurationError('issuer_endpoint', 'is required (or a precomputed oidc entry)');

  let verifier: OidcVerifier | undefined;
  let lastAttempt = 0;
  const load = async (): Promise<OidcVerifier | undefined> => {
    if (verifier) return verifier;
    if (Date.now() - lastAttempt < RETRY_MS && lastAttempt !== 0) return undefined;
    lastAttempt = Date.now();
    try {
      verifier =
        precomputed !== undefined
          ? await OidcVerifier.fromEntry(precomputed)
          : (await OidcVerifier.discover(issuerEndpoint as string)).verifier;
    } catch (err) {
      build.log.warn(
        { err: (err as Error).message },
        'oidc_authentication: OIDC discovery failed; tokens cannot be verified until it succeeds',
      );
    }
    return verifier;
  };
  // Discovery at construction, like the original; a failure retries on later requests.
  await load();

  const tokens = new WeakMap<PolicyContext, string>();
  const unauthorized = (ctx: PolicyContext) => {
    ctx.exit(401, { headers: { 'WWW-Authenticate': 'Bearer' } });
  };

  return {
    rewrite(ctx: PolicyContext) {
      const token = bearer(ctx);
      if (token === undefined) return;
      tokens.set(ctx, token);
      try {
        ctx.jwt = { header: decodeProtectedHeader(token), payload: decodeJwt(token), token };
      } catch {
        // Unparsable: access decides (401 when required, 403 otherwise).
      }
    },
    async access(ctx: PolicyContext) {
      const token = tokens.get(ctx);
      if (token === undefined) {
        if (required === true) unauthorized(ctx);
        return;
      }
      if (ctx.jwt === undefined && required === true) {
        unauthorized(ctx);
        return;
      }
      const v = await load();
      const result = v ? await v.verify(token) : { ok: false as const, reason: 'OIDC issuer not available' };
      if (!result.ok) {
        ctx.log.info({ reason: result.reason }, 'oidc_authentication: token refused');
        ctx.jwt = undefined;
        ctx.exit(403);
        return;
      }
      ctx.jwt = { header: result.header, payload: result.claims, token };
    },
  };
};

export default factory;
