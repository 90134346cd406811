/**
 * OIDC access-token validation for services with authentication_method
 * `oidc` (gateway.md §4.3.1), against the service's discovery entry (the
 * configuration's `oidc` array: issuer, discovery document, keys as PEM).
 */
import { decodeProtectedHeader, importSPKI, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import type { CompiledService } from '../config/compiled.js';
import { compileTemplateValue, type TemplateValue } from '../shared/liquid/index.js';

type VerificationKey = Awaited<ReturnType<typeof importSPKI>>;

export type OidcResult =
  | { ok: true; clientId: string; payload: JWTPayload; ttl: number }
  | { ok: false; reason: string };

interface ServiceVerifier {
  issuer: string | undefined;
  algorithms: string[];
  pems: Map<string, string>;
  keys: Map<string, VerificationKey>;
  clientId: TemplateValue;
}

const verifiers = new WeakMap<CompiledService, ServiceVerifier>();
/** Verified tokens by `<service id>:<token>` until they expire (gateway.md §4.3.1). */
const verified = new LRUCache<string, OidcResult & { ok: true }>({ max: 10_000 });

function verifierOf(service: CompiledService): ServiceVerifier {
  let verifier = verifiers.get(service);
  if (!verifier) {
    const entry = service.oidc;
    const config = (entry?.config ?? {}) as { id_token_signing_alg_values_supported?: unknown };
    const algorithms = Array.isArray(config.id_token_signing_alg_values_supported)
      ? config.id_token_signing_alg_values_supported.filter((a): a is string => typeof a === 'string') : [];
    const pems = new Map<string, string>();
    for (const [kid, key] of Object.entries(entry?.keys ?? {})) if (typeof key?.pem === 'string') pems.set(kid, key.pem);
    const claim = service.jwtClaimWithClientId;
    verifier = {
      issuer: typeof entry?.issuer === 'string' ? entry.issuer : undefined,
      algorithms,
      pems,
      keys: new Map(),
      clientId: compileTemplateValue(claim.value, claim.type),
    };
    verifiers.set(service, verifier);
  }
  return verifier;
}

export async function verifyOidcToken(service: CompiledService, token: string, now = Date.now()): Promise<OidcResult> {
  const cacheKey = `${service.id}:${token}`;
  const cached = verified.get(cacheKey);
  if (cached && typeof cached.payload.exp === 'number' && cached.payload.exp * 1000 > now) {
    return { ...cached, ttl: Math.floor(cached.payload.exp - now / 1000) };
  }
  const v = verifierOf(service);
  if (!v.issuer || v.algorithms.length === 0) return { ok: false, reason: 'the service has no usable OIDC configuration' };
  let header;
  try { header = decodeProtectedHeader(token); } catch { return { ok: false, reason: 'not a JWS' }; }
  const alg = header.alg;
  if (!alg || !v.algorithms.includes(alg)) return { ok: false, reason: `algorithm ${alg} is not supported` };
  const kid = header.kid ?? '';
  const pem = v.pems.get(kid);
  if (!pem) return { ok: false, reason: `no key for kid ${kid}` };
  let key = v.keys.get(`${kid}:${alg}`);
  if (!key) {
    try { key = await importSPKI(pem, alg); } catch (error) { return { ok: false, reason: `key ${kid}: ${(error as Error).message}` }; }
    v.keys.set(`${kid}:${alg}`, key);
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      issuer: v.issuer, algorithms: v.algorithms, requiredClaims: ['sub', 'aud', 'exp'], currentDate: new Date(now),
    }));
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  if (typeof payload.iat === 'number' && payload.iat <= 0) return { ok: false, reason: 'iat must be positive' };
  if (payload.typ !== undefined && payload.typ !== 'Bearer') return { ok: false, reason: 'typ must be Bearer' };
  const claim = service.jwtClaimWithClientId;
  let clientId: unknown = claim.type === 'liquid' ? v.clientId.render(payload) : payload[claim.value];
  if (Array.isArray(clientId)) clientId = clientId[0];
  if (clientId === undefined || clientId === null || clientId === '') return { ok: false, reason: `no client id in claim ${claim.value}` };
  const result = { ok: true as const, clientId: String(clientId), payload, ttl: Math.floor(payload.exp! - now / 1000) };
  verified.set(cacheKey, result, { ttl: Math.max(1, payload.exp! * 1000 - now) });
  return result;
}
