/**
 * Credentials sent to the 3scale backend (gateway.md §4.3): the parameter
 * names are fixed whatever the service calls them on the client side.
 */
export type Credentials =
  | { readonly kind: 'user_key'; readonly user_key: string }
  | { readonly kind: 'app_id'; readonly app_id: string; readonly app_key?: string }
  | { readonly kind: 'access_token'; readonly access_token: string };

/** Pairs as sent to the backend, in tuple order. */
export function credentialParams(credentials: Credentials): [string, string][] {
  switch (credentials.kind) {
    case 'user_key':
      return [['user_key', credentials.user_key]];
    case 'app_id':
      return credentials.app_key === undefined
        ? [['app_id', credentials.app_id]]
        : [
            ['app_id', credentials.app_id],
            ['app_key', credentials.app_key],
          ];
    case 'access_token':
      return [['access_token', credentials.access_token]];
  }
}

/** `user_key=abc`, `app_id=x&app_key=y` (X-3scale-credentials debug header, backend query). */
export function encodeCredentials(credentials: Credentials): string {
  return credentialParams(credentials)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
}

/** Raw values joined with ':' (part of the authorization cache key). */
export function credentialsKey(credentials: Credentials): string {
  return credentialParams(credentials)
    .map(([, v]) => v)
    .join(':');
}
