/**
 * nginx_filters (policies.md §5.43). In the original, nginx answers some conditional requests itself (If-Match
 * against a response without that ETag is a 412) and the policy hides the listed headers from it, re-adding them
 * for the upstream when `append` is set. Here nothing between the client and the upstream evaluates conditional
 * headers, so only the visible half remains: a listed header without `append` is removed before the upstream
 * call (as the original's), and one with `append` reaches the upstream unchanged.
 */
import type { Policy, PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import type { NginxFiltersConfig } from './config.generated.js';

const factory: PolicyFactory<NginxFiltersConfig> = (configuration) => {
  const removed = configuration.headers.filter((h) => h.append !== true).map((h) => h.name);
  return {
    rewrite(ctx: PolicyContext) {
      for (const name of removed) ctx.request.headers.delete(name);
    },
  } satisfies Policy;
};

export default factory;
