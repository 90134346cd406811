/**
 * upstream_connection (policies.md §5.34): per-service upstream timeouts.
 * Exported as `upstream_connection_opts` (the original's contract) and also
 * applied to every attempt in the balancer phase, which runs for each
 * attempt whatever the policy's position in the chain.
 */
import type { Policy, PolicyContext } from '../../src/chain/policy.js';

export interface UpstreamConnectionOptions {
  connect_timeout?: number;
  send_timeout?: number;
  read_timeout?: number;
}

export default function upstreamConnection(configuration: Record<string, unknown>): Policy {
  const config = configuration as UpstreamConnectionOptions;
  const options: UpstreamConnectionOptions = {};
  if (config.connect_timeout !== undefined) options.connect_timeout = config.connect_timeout;
  if (config.send_timeout !== undefined) options.send_timeout = config.send_timeout;
  if (config.read_timeout !== undefined) options.read_timeout = config.read_timeout;
  return {
    export: () => ({ upstream_connection_opts: { ...options } }),
    balancer(ctx: PolicyContext): void {
      if (options.connect_timeout !== undefined) ctx.balancer.connectTimeout = options.connect_timeout;
      if (options.send_timeout !== undefined) ctx.balancer.sendTimeout = options.send_timeout;
      if (options.read_timeout !== undefined) ctx.balancer.readTimeout = options.read_timeout;
    },
  };
}
