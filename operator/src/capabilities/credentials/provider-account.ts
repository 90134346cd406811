// Which 3scale account a CR manages: the Secret its providerAccountRef names, or threescale-provider-account.
// The Secret holds adminURL (https://<account>-admin.<domain>) and token (an access token with Account
// Management API read-write scope). Pure: the Secret's data in, the access or the reason it cannot be used out.
// The token is never part of a message.
import type { FieldError } from '../../model/types.js';
import { DEFAULT_PROVIDER_ACCOUNT_SECRET, INSECURE_SKIP_VERIFY_ANNOTATION } from '../api/common.js';
import type { PortalAccess } from '../threescale/client.js';

export function providerSecretName(spec: { providerAccountRef?: { name: string } } | undefined): string {
  return spec?.providerAccountRef?.name ?? DEFAULT_PROVIDER_ACCOUNT_SECRET;
}

export function providerAccess(
  secretName: string,
  data: Readonly<Partial<Record<string, string>>> | undefined,
  annotations: Record<string, string> | undefined,
): { ok: true; access: PortalAccess } | { ok: false; error: FieldError } {
  const field = 'spec.providerAccountRef';
  if (!data) return { ok: false, error: { path: field, reason: `Secret ${secretName} does not exist` } };
  const token = data.token?.trim() ?? '';
  if (token === '') return { ok: false, error: { path: field, reason: `Secret ${secretName} has no token` } };
  const raw = data.adminURL?.trim() ?? '';
  if (raw === '') return { ok: false, error: { path: field, reason: `Secret ${secretName} has no adminURL` } };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: { path: field, reason: `Secret ${secretName}: adminURL is not a URL` } };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, error: { path: field, reason: `Secret ${secretName}: adminURL must be http or https` } };
  if (url.username || url.password)
    return {
      ok: false,
      error: { path: field, reason: `Secret ${secretName}: adminURL must not carry credentials (put the token under key token)` },
    };
  const insecure = annotations?.[INSECURE_SKIP_VERIFY_ANNOTATION] === 'true';
  return { ok: true, access: { adminUrl: url.origin, token, insecureSkipVerify: insecure } };
}
