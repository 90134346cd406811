/**
 * `cloud_hosted.balancer_blacklist` (gateway.md §9.1, policies.md §7): a
 * global policy placed before every service chain in the cloud-hosted
 * profile. In the balancer phase it resolves the upstream of this attempt
 * (ctx.balancer.upstream: whatever policy chose it — cloud_hosted.upstream,
 * upstream, routing, camel — else api_backend), picks a peer
 * round-robin and refuses it when it is in a denied range (⇒ 503 and
 * `could not select peer: blacklisted`); otherwise it pins that very peer so
 * the connection goes to the address that was checked.
 */
import type { Policy, PolicyContext } from '../chain/policy.js';
import type { Counter } from 'prom-client';
import type { IpBlacklist } from './ip-blacklist.js';

export interface BlacklistPolicyDeps {
  blacklist: IpBlacklist;
  /** Picks one address for a host (the gateway's DNS resolver). */
  pick(host: string): Promise<string>;
  /** cloud_hosted_balancer{status} */
  counter: Counter<'status'> | undefined;
}

export function balancerBlacklistPolicy(deps: BlacklistPolicyDeps): Policy {
  return {
    async balancer(ctx: PolicyContext) {
      const upstream = ctx.balancer.upstream;
      if (!upstream || ctx.balancer.peer) return;
      let address: string;
      try {
        address = await deps.pick(upstream.host);
      } catch (error) {
        const reason = (error as Error).message;
        deps.counter?.inc({ status: 'error' });
        ctx.balancer.refuse = reason;
        return;
      }
      if (deps.blacklist.isDenied(address)) {
        deps.counter?.inc({ status: 'blacklisted' });
        ctx.balancer.refuse = 'blacklisted';
        return;
      }
      deps.counter?.inc({ status: 'success' });
      ctx.balancer.peer = { host: address, port: upstream.port };
    },
  };
}
