/**
 * The portal as one configuration source (gateway.md §2.1 steps 3-4): the v2
 * protocols first, the legacy v1 endpoint only when v2 brought nothing. The
 * error names every attempt so an operator can tell a wrong token (403) from a
 * portal that is down.
 */
import type { OidcDiscovery } from './oidc-discovery.js';
import { loadRemoteV1 } from './remote-v1.js';
import { loadRemoteV2, type PortalOptions, type PortalResult } from './remote-v2.js';

export interface PortalLoaderOptions extends PortalOptions {
  /** APICAST_CONFIGURATION_TIMEOUT (s) for the legacy loader's TCP wait. */
  legacyTimeoutSeconds: number;
  /** Fills the `oidc` entries of services with an issuer (gateway.md §2.5). */
  oidc?: OidcDiscovery;
}

export async function loadFromPortal(options: PortalLoaderOptions, host = ''): Promise<PortalResult> {
  const result = await loadServices(options, host);
  if (!result.ok || !options.oidc) return result;
  return { ...result, configuration: await options.oidc.addEntries(result.configuration) };
}

async function loadServices(options: PortalLoaderOptions, host: string): Promise<PortalResult> {
  const v2 = await loadRemoteV2(options, host);
  if (v2.ok) return v2;
  // The portal has the account endpoint and one of its pages failed: the last
  // good configuration stays (the legacy document is no fallback for that).
  if (v2.partial) return v2;
  // Configs-by-host answers are per host: the whole-account legacy document
  // would not be "the configuration for this host", so it is not tried there.
  if (options.loadServicesWhenNeeded && options.loader === 'lazy') return v2;
  const v1 = await loadRemoteV1(options.endpoint, options.legacyTimeoutSeconds, options.http);
  if (v1.ok) return v1;
  return { ok: false, error: `${v2.error}; ${v1.error}` };
}
