/**
 * upstream_connection (policies.md §5.34): per-service upstream timeouts.
 * Exported as `upstream_connection_opts` (the original's contract) and also
 * applied to every attempt in the balancer phase, which runs for each
 * attempt whatever the policy's position in the chain.
 */
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import type { UpstreamConnectionConfig } from './config.generated.js';

/** What `upstream_connection_opts` exports: the configured timeouts only (no other field of the configuration). */
export type UpstreamConnectionOptions = Pick<UpstreamConnectionConfig, 'connect_timeout' | 'send_timeout' | 'read_timeout'>;

const factory: PolicyFactory<UpstreamConnectionConfig> = (config) => {
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
};

export default factory;
