/**
 * Policies the cloud-hosted profile does not offer (gateway.md §9.1): the
 * chain builder (chain/build.ts CLOUD_HOSTED_DENIED) rejects a configuration
 * naming one; here they are also hidden from the `/policies` listing, as the
 * original deletes their manifests from the SaaS image.
 */
import { CLOUD_HOSTED_DENIED } from '../chain/build.js';

export function withoutDeniedPolicies<T>(manifests: Record<string, T>, cloudHosted: boolean): Record<string, T> {
  if (!cloudHosted) return manifests;
  return Object.fromEntries(Object.entries(manifests).filter(([name]) => !CLOUD_HOSTED_DENIED.has(name)));
}
