/**
 * jwt_parser (policies.md §5.40): in rewrite, the Bearer token of the
 * Authorization header is verified (shared/oidc verifier: signature by kid,
 * issuer, exp/nbf) and its claims become `ctx.jwt`, where jwt_claim_check,
 * keycloak_role_check and Liquid (`{{ jwt.sub }}`) read them. Like the
 * original, both refusals use the service's auth-failed status (default
 * 403): no token with `required` adds `WWW-Authenticate: Bearer`; a token
 * that does not verify is refused whether required or not.
 */
import type { Policy, PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { PolicyConfigurationError } from '../../src/chain/policy.js';
import type { JwtParserConfig } from './config.generated.js';
import { verifierSource } from './verifier-source.js';

const DEFAULT_AUTH_FAILED_STATUS = 403;

function bearerToken(ctx: PolicyContext): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(ctx.request.headers.get('authorization') ?? '')?.[1];
}

/** Services that authenticate with OIDC/OAuth already own the Authorization header (the original ignores the policy there). */
function authenticatesItself(service: { backend_version?: unknown; authentication_method?: unknown } | undefined): boolean {
  const method = service?.authentication_method ?? service?.backend_version;
  return method === 'oidc' || method === 'oauth';
}

function checkIssuer(endpoint: unknown): string {
  if (typeof endpoint !== 'string') throw new PolicyConfigurationError('issuer_endpoint', 'is required (or keys in oidc)');
  try {
    const url = new URL(endpoint);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new PolicyConfigurationError('issuer_endpoint', `is not an http(s) URL: ${JSON.stringify(endpoint)}`);
  }
  return endpoint;
}

const factory: PolicyFactory<JwtParserConfig> = async (configuration, build) => {
  const required = configuration.required === true;
  const entry = configuration.oidc;
  const load = verifierSource(entry ? { entry } : { issuerEndpoint: checkIssuer(configuration.issuer_endpoint) }, build.log);
  if (authenticatesItself(build.service)) {
    build.log.warn('jwt_parser is incompatible with OIDC authentication mode; the policy is ignored');
    return {};
  }
  await load();

  return {
    async rewrite(ctx: PolicyContext) {
      // Global chain: the service is known only now.
      if (!build.service && ctx.service && authenticatesItself({ authentication_method: ctx.service.authenticationMethod })) return;
      const status = ctx.service?.errors.authFailed.status ?? DEFAULT_AUTH_FAILED_STATUS;
      const token = bearerToken(ctx);
      if (token === undefined) {
        if (required) ctx.exit(status, { headers: { 'WWW-Authenticate': 'Bearer' } });
        return;
      }
      const verifier = await load();
      const result = verifier ? await verifier.verify(token) : { ok: false as const, reason: 'OIDC keys not available' };
      if (!result.ok) {
        ctx.log.warn({ reason: result.reason }, 'jwt_parser: access token refused');
        ctx.exit(status);
        return;
      }
      ctx.jwt = result.claims;
    },
  } satisfies Policy;
};

export default factory;
