/**
 * cloud_hosted.upstream (policies.md §7, gateway.md §9.1): the SaaS gateway's
 * content phase — every request of the service is proxied to `url`. The URL
 * is parsed once when the configuration loads; one the gateway cannot proxy
 * to rejects the configuration (spec README "policy construction"), since
 * without it the policy has nothing to do. Like the `upstream` policy, the
 * Host sent is the URL's host, not the service's hostname_rewrite.
 */
import { PolicyConfigurationError, type PolicyContext, type PolicyFactory } from '../../src/chain/policy.js';
import { parseUpstream, type Upstream } from '../../src/upstream/upstream.js';
import type { CloudHostedUpstreamConfig } from './config.generated.js';

const factory: PolicyFactory<CloudHostedUpstreamConfig> = (configuration) => {
  let target: Upstream;
  try {
    target = parseUpstream(configuration.url);
  } catch (error) {
    throw new PolicyConfigurationError('url', (error as Error).message);
  }
  return {
    content(ctx: PolicyContext): void {
      // An earlier content policy (echo, an exit) already answered: leave it be.
      if (ctx.contentDecided) return;
      // Balancer-phase policies (the SaaS IP blacklist) see this target as ctx.balancer.upstream.
      ctx.proxyPass(target);
    },
  };
};

export default factory;
