/**
 * clear_context (policies.md §5.39). The original clears the per-request
 * context table in ssl_certificate, because nginx hands the TLS handshake's
 * context to the connection's first request, and in rewrite otherwise. Here
 * a handshake context never reaches a request (net/sni-certificates.ts makes
 * a fresh one per handshake, and each request gets its own), so only the
 * rewrite half means something: at this policy's place in the chain the
 * request-local state earlier policies left is dropped. Kept: the request,
 * the selected service and host (the gateway's, not a policy's), and chain
 * exports (they are configuration, not request state: ctx.shared reads fall
 * through to them).
 */
import type { Policy, PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import type { ClearContextConfig } from './config.generated.js';

export function clearRequestContext(ctx: PolicyContext): void {
  for (const key of Object.keys(ctx.shared)) Reflect.deleteProperty(ctx.shared, key);
  ctx.usage = undefined;
  ctx.extractedCredentials = undefined;
  ctx.credentials = undefined;
  ctx.jwt = undefined;
  ctx.ttl = undefined;
  ctx.routeUpstream = undefined;
  ctx.skipApicastAccess = false;
  ctx.extraBackendParams.clear();
}

const factory: PolicyFactory<ClearContextConfig> = () => ({ rewrite: clearRequestContext }) satisfies Policy;

export default factory;
