/**
 * OIDC access tokens of `oidc` services (gateway.md §4.3.1), checked with the
 * shared verifier (src/shared/oidc) built once per compiled service from the
 * configuration's precomputed `oidc` entry. The client id comes from the
 * service's `jwt_claim_with_client_id` (a claim name, or Liquid over the claims).
 */
import type { JWTPayload } from 'jose';
import type { CompiledService } from '../../src/config/compiled.js';
import { OidcVerifier, clientIdOf } from '../../src/shared/oidc/index.js';
import { compileTemplateValue, type TemplateValue } from '../../src/shared/liquid/index.js';

export type OidcTokenResult = { ok: true; clientId: string; claims: JWTPayload; ttl: number } | { ok: false; reason: string };

interface ServiceOidc {
  verifier: Promise<OidcVerifier | string>;
  clientId: TemplateValue;
}

/** Compiled services are replaced on reload, so a WeakMap drops verifiers of old configurations. */
const perService = new WeakMap<CompiledService, ServiceOidc>();

function serviceOidc(service: CompiledService): ServiceOidc {
  let entry = perService.get(service);
  if (!entry) {
    const oidc = service.oidc;
    const claim = service.jwtClaimWithClientId;
    entry = {
      verifier: oidc
        ? OidcVerifier.fromEntry(oidc as Parameters<typeof OidcVerifier.fromEntry>[0]).catch((err: unknown) => (err as Error).message)
        : Promise.resolve('the service has no oidc configuration entry'),
      clientId: compileTemplateValue(claim.value, claim.type),
    };
    perService.set(service, entry);
  }
  return entry;
}

export async function verifyServiceToken(service: CompiledService, token: string): Promise<OidcTokenResult> {
  const { verifier, clientId: clientIdTemplate } = serviceOidc(service);
  const resolved = await verifier;
  if (typeof resolved === 'string') return { ok: false, reason: resolved };
  const result = await resolved.verify(token);
  if (!result.ok) return result;
  const claim = service.jwtClaimWithClientId;
  const clientId = claim.type === 'liquid' ? clientIdTemplate.render(result.claims) : clientIdOf(result.claims, claim.value);
  if (clientId === undefined || clientId === '') return { ok: false, reason: `no client id in claim ${claim.value}` };
  return { ok: true, clientId, claims: result.claims, ttl: result.ttl };
}
