/**
 * token_introspection (policies.md §5.32), access: the Bearer token must be
 * active at the introspection endpoint, else the service's auth-failed
 * response. Answers are cached per worker (LRU of max_cached_tokens; none
 * when 0/absent) for min(exp − now, max_ttl_tokens).
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { getJson } from '../../src/shared/oidc/index.js';
import { cacheTtl, introspect, type IntrospectionEndpoint } from './introspect.js';
import { clientSecretSigner, loadPrivateKey, privateKeySigner } from './client-assertion.js';
import type { TokenIntrospectionConfig } from './config.generated.js';
import { asError } from '../../src/shared/errors.js';
import { schemaRequired } from '../../src/shared/schema-required.js';

function bearer(ctx: PolicyContext): string | undefined {
  return /^Bearer\s+(\S+)\s*$/.exec(ctx.request.headers.get('authorization') ?? '')?.[1];
}

/** Client credentials from the userinfo of `oidc_issuer_endpoint`, URL from its discovery. */
async function issuerEndpoint(oidcIssuerEndpoint: string): Promise<IntrospectionEndpoint | undefined> {
  const url = new URL(oidcIssuerEndpoint);
  const clientId = decodeURIComponent(url.username);
  const clientSecret = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const discovery = await getJson(`${url.toString().replace(/\/+$/, '')}/.well-known/openid-configuration`);
  const endpoint = discovery['token_introspection_endpoint'] ?? discovery['introspection_endpoint'];
  return typeof endpoint === 'string' ? { url: endpoint, clientId, clientSecret } : undefined;
}

/**
 * The endpoint and client authentication of client_id+client_secret, client_secret_jwt and private_key_jwt.
 * schemaRequired: the manifest's `dependencies` require these fields for these auth_types (ajv checked them), which
 * the generated type, one interface for all auth_types, cannot say.
 */
function configuredEndpoint(configuration: TokenIntrospectionConfig): IntrospectionEndpoint {
  const url = schemaRequired(configuration.introspection_url, 'introspection_url');
  const clientId = schemaRequired(configuration.client_id, 'client_id');
  const authType = configuration.auth_type;
  if (authType === 'client_id+client_secret')
    return { url, clientId, clientSecret: schemaRequired(configuration.client_secret, 'client_secret') };
  const settings = {
    clientId,
    audience: schemaRequired(configuration.client_jwt_assertion_audience, 'client_jwt_assertion_audience'),
    expiresIn: configuration.client_jwt_assertion_expires_in ?? 60,
  };
  if (authType === 'client_secret_jwt')
    return { url, clientId, assertion: clientSecretSigner(settings, schemaRequired(configuration.client_secret, 'client_secret')) };
  const key = loadPrivateKey(configuration.certificate_type ?? 'path', schemaRequired(configuration.certificate, 'certificate'));
  return { url, clientId, assertion: privateKeySigner(settings, key) };
}

const factory: PolicyFactory<TokenIntrospectionConfig> = (configuration, build) => {
  const useIssuer = configuration.auth_type === 'use_3scale_oidc_issuer_endpoint';
  const maxTtl = configuration.max_ttl_tokens;
  const maxCached = configuration.max_cached_tokens ?? 0;
  const cache = maxCached > 0 ? new LRUCache<string, Record<string, unknown>>({ max: maxCached, ttlAutopurge: false }) : undefined;
  const configured: IntrospectionEndpoint | undefined = useIssuer ? undefined : configuredEndpoint(configuration);
  const oidcIssuer = build.service?.proxy?.oidc_issuer_endpoint ?? undefined;
  let discovered: Promise<IntrospectionEndpoint | undefined> | undefined;

  async function endpoint(): Promise<IntrospectionEndpoint | undefined> {
    if (configured) return configured;
    if (!oidcIssuer) return undefined; // a non-OIDC service ⇒ deny
    discovered ??= issuerEndpoint(oidcIssuer).catch((err: unknown) => {
      build.log.warn({ err: asError(err).message }, 'token_introspection: OIDC discovery failed');
      discovered = undefined; // retry on a later request
      return undefined;
    });
    return discovered;
  }

  async function isActive(token: string | undefined): Promise<boolean> {
    if (token === undefined) return false;
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = cache?.get(key);
    if (cached) return cached['active'] === true;
    const target = await endpoint();
    if (!target) return false;
    const answer = await introspect(target, token);
    if (!answer) return false;
    const ttl = cacheTtl(answer, maxTtl, Date.now() / 1000);
    if (cache && ttl !== undefined) cache.set(key, answer, { ttl: ttl * 1000 });
    return answer['active'] === true;
  }

  return {
    async access(ctx: PolicyContext) {
      if (await isActive(bearer(ctx))) return;
      const error = ctx.service?.errors.authFailed ?? {
        status: 403,
        body: 'Authentication failed',
        contentType: 'text/plain; charset=us-ascii',
      };
      ctx.exit(error.status, { body: `${error.body}\n`, headers: { 'Content-Type': error.contentType } });
    },
  };
};

export default factory;
