/**
 * OIDC JWT validation (gateway.md §4.3.1) with jose: JWS signature with a
 * key of the issuer (by `kid`), `alg` in the discovered list, `iss` equal to
 * the discovered issuer, `sub`/`aud`/`exp` required, `exp` future, `nbf` not
 * future, `iat` > 0, payload `typ` (if any) `Bearer`. Verified tokens are
 * cached (LRU 10 000) until they expire.
 *
 * Keys come either precomputed (the configuration's `oidc` entry: PEM per
 * kid) or from the issuer (discovery + JWKS, refetched when a token names an
 * unknown kid: key rotation).
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors,
  importSPKI,
  importX509,
  jwtVerify,
  type CryptoKey,
  type JSONWebKeySet,
  type JWTHeaderParameters,
  type JWTPayload,
} from 'jose';
import { getJson } from './http-json.js';
import { displayString } from '../display-string.js';

export type VerifyResult =
  { ok: true; header: JWTHeaderParameters; claims: JWTPayload; /** seconds until exp */ ttl: number } | { ok: false; reason: string };

export class OidcConfigurationError extends Error {}

type KeyResolver = (header: JWTHeaderParameters) => Promise<CryptoKey | Uint8Array | undefined>;

/** Why a token failed, in words a log line can carry (never the token). */
function describe(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'token expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `claim ${err.claim} invalid: ${err.reason}`;
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'signature verification failed';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'malformed token';
  return err instanceof Error ? err.message : String(err);
}

export class OidcVerifier {
  private readonly verified = new LRUCache<string, { header: JWTHeaderParameters; claims: JWTPayload; exp: number }>({ max: 10_000 });

  private constructor(
    readonly issuer: string,
    private readonly algorithms: string[],
    private readonly resolveKey: KeyResolver,
  ) {}

  /** From a precomputed configuration entry `{issuer, config, keys: {kid: {pem}}}`. */
  // eslint-disable-next-line @typescript-eslint/require-await -- async so that a refused entry is a rejection: callers .catch() it and assert.rejects it
  static async fromEntry(entry: {
    issuer?: unknown;
    config?: Record<string, unknown>;
    /** From the portal's JSON: an entry can be null, a pem anything. */
    keys?: Record<string, { pem?: unknown } | null>;
  }): Promise<OidcVerifier> {
    const issuer = entry.issuer ?? entry.config?.['issuer'];
    const algorithms = entry.config?.['id_token_signing_alg_values_supported'];
    if (typeof issuer !== 'string' || issuer === '') throw new OidcConfigurationError('oidc entry has no issuer');
    if (!Array.isArray(algorithms) || algorithms.length === 0)
      throw new OidcConfigurationError('oidc entry has no id_token_signing_alg_values_supported');
    const pems = new Map<string, string>();
    for (const [kid, key] of Object.entries(entry.keys ?? {})) if (typeof key?.pem === 'string') pems.set(kid, key.pem);
    const imported = new Map<string, CryptoKey>();
    const resolve: KeyResolver = async (header) => {
      const kid = header.kid ?? '';
      const cached = imported.get(`${kid}:${header.alg}`);
      if (cached) return cached;
      const pem = pems.get(kid);
      if (!pem) return undefined;
      const key = pem.includes('CERTIFICATE') ? await importX509(pem, header.alg) : await importSPKI(pem, header.alg);
      imported.set(`${kid}:${header.alg}`, key);
      return key;
    };
    return new OidcVerifier(issuer, algorithms.map(String), resolve);
  }

  /** Discovery at `<issuerEndpoint>/.well-known/openid-configuration`, then its JWKS (refetched on an unknown kid, at most every 5 s). */
  static async discover(issuerEndpoint: string): Promise<{ verifier: OidcVerifier; configuration: Record<string, unknown> }> {
    const base = issuerEndpoint.replace(/\/+$/, '');
    const url = new URL(base);
    url.username = '';
    url.password = '';
    const configuration = await getJson(`${url.toString().replace(/\/+$/, '')}/.well-known/openid-configuration`);
    const issuer = configuration['issuer'];
    const algorithms = configuration['id_token_signing_alg_values_supported'];
    const jwksUri = configuration['jwks_uri'];
    if (typeof issuer !== 'string') throw new OidcConfigurationError('discovery document has no issuer');
    if (!Array.isArray(algorithms) || algorithms.length === 0)
      throw new OidcConfigurationError('discovery document has no id_token_signing_alg_values_supported');
    if (typeof jwksUri !== 'string') throw new OidcConfigurationError('discovery document has no jwks_uri');
    let jwks = createLocalJWKSet((await getJson(jwksUri)) as unknown as JSONWebKeySet);
    let lastFetch = Date.now();
    const resolve: KeyResolver = async (header) => {
      try {
        return await jwks(header);
      } catch (err) {
        if (!(err instanceof errors.JWKSNoMatchingKey) || Date.now() - lastFetch < 5000) throw err;
        // Rotation: the issuer published a new key since we last looked.
        lastFetch = Date.now();
        jwks = createLocalJWKSet((await getJson(jwksUri)) as unknown as JSONWebKeySet);
        return jwks(header);
      }
    };
    return { verifier: new OidcVerifier(issuer, algorithms.map(String), resolve), configuration };
  }

  async verify(token: string): Promise<VerifyResult> {
    const now = Date.now() / 1000;
    const cacheKey = createHash('sha256').update(token).digest('base64url');
    const hit = this.verified.get(cacheKey);
    if (hit && hit.exp > now) return { ok: true, header: hit.header, claims: hit.claims, ttl: Math.floor(hit.exp - now) };
    try {
      decodeProtectedHeader(token);
    } catch {
      return { ok: false, reason: 'malformed token' };
    }
    try {
      const { payload, protectedHeader } = await jwtVerify(
        token,
        async (h) => {
          const key = await this.resolveKey(h);
          if (!key) throw new Error(`no key for kid ${JSON.stringify(h.kid ?? null)}`);
          return key;
        },
        { issuer: this.issuer, algorithms: this.algorithms, requiredClaims: ['iss', 'sub', 'aud', 'exp'] },
      );
      if (payload.iat !== undefined && !(payload.iat > 0)) return { ok: false, reason: 'claim iat invalid' };
      const typ = (payload as Record<string, unknown>)['typ'];
      if (typ !== undefined && typ !== 'Bearer') return { ok: false, reason: 'claim typ is not Bearer' };
      // jwtVerify enforced requiredClaims: exp is there.
      const exp = payload.exp;
      if (exp === undefined) return { ok: false, reason: 'claim exp missing' };
      this.verified.set(cacheKey, { header: protectedHeader, claims: payload, exp });
      return { ok: true, header: protectedHeader, claims: payload, ttl: Math.floor(exp - now) };
    } catch (err) {
      return { ok: false, reason: describe(err) };
    }
  }
}

/** Client id of a verified token: `azp` or the service's claim; an array ⇒ its first element. */
export function clientIdOf(claims: JWTPayload, claimName = 'azp'): string | undefined {
  const value = (claims as Record<string, unknown>)[claimName];
  const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  return first === undefined || first === null ? undefined : displayString(first);
}
