/**
 * grpc (policies.md §5.12): the upstream request goes over HTTP/2 with TLS
 * (grpcs), without the X-Real-IP, Host, X-3scale-grpc-secret-token and
 * X-3scale-debug headers. The rewrite phase selects the HTTP/2 upstream path
 * (`upstream_location_name`, as the original's context key).
 */
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import type { GrpcConfig } from './config.generated.js';

export const GRPC_LOCATION = '@grpc';
const DROPPED_HEADERS = ['X-Real-IP', 'Host', 'X-3scale-grpc-secret-token', 'X-3scale-debug'];

const factory: PolicyFactory<GrpcConfig> = () => {
  return {
    rewrite(ctx: PolicyContext): void {
      ctx.shared['upstream_location_name'] = GRPC_LOCATION;
    },
    balancer(ctx: PolicyContext): void {
      // Before each attempt: nothing the client sent under these names reaches the upstream.
      for (const name of DROPPED_HEADERS) ctx.request.headers.delete(name);
    },
  };
};

export default factory;
