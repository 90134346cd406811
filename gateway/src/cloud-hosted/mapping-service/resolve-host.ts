/**
 * Pure parts of the mapping-service algorithm (gateway.md §9.2).
 */

/** `/anything/production.json` → `production`; `staging` becomes `sandbox`; any other path → undefined. */
export function environmentFromPath(path: string): string | undefined {
  const match = /\/(\w+)\.json$/i.exec(path);
  if (!match) return undefined;
  return match[1] === 'staging' ? 'sandbox' : match[1];
}

/** `api-2445581436380.production.gw.apicast.io` → `2445581436380` (first label, split on `-`, last part). */
export function providerIdFromHost(host: string): string | undefined {
  const firstLabel = host.split('.')[0] ?? '';
  const id = firstLabel.split('-').at(-1) ?? '';
  return id === '' ? undefined : id;
}

/**
 * The tenant's admin base URL: API_HOST's scheme and port with the account's
 * admin domain; with PREVIEW_BASE_DOMAIN, `<first-label>.<rest>` becomes
 * `<first-label>.<PREVIEW_BASE_DOMAIN>`.
 */
export function adminBaseUrl(apiHost: URL, adminDomain: string, previewBaseDomain: string | undefined): string {
  const domain = previewBaseDomain ? `${adminDomain.split('.')[0]}.${previewBaseDomain}` : adminDomain;
  const port = apiHost.port || (apiHost.protocol === 'https:' ? '443' : '80');
  return `${apiHost.protocol}//${domain}:${port}`;
}
