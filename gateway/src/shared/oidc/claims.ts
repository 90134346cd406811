/**
 * `ctx.jwt` holds the payload (apicast OIDC) or the whole parsed JWT
 * `{header, payload, token}` (oidc_authentication, policies.md §2.1): claim
 * checks always want the payload.
 */
export function jwtClaims(jwt: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!jwt) return undefined;
  const payload = jwt['payload'];
  if (typeof jwt['token'] === 'string' && payload !== null && typeof payload === 'object') return payload as Record<string, unknown>;
  return jwt;
}
