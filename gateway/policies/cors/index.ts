/**
 * cors (policies.md §5.8): preflight requests are answered 204 in rewrite
 * (before authentication); header_filter adds the CORS headers to every
 * response of a request with an Origin, including gateway errors.
 */
import { PolicyConfigurationError, type PolicyContext, type PolicyFactory } from '../../src/chain/policy.js';
import type { CorsConfig } from './config.generated.js';
import { compileOriginRule, corsHeaders, isPreflight, type CorsRequest, type OriginRule } from './cors-headers.js';

function corsRequest(ctx: PolicyContext): CorsRequest {
  const headers = ctx.request.headers;
  return {
    origin: headers.get('Origin'),
    requestMethod: headers.get('Access-Control-Request-Method'),
    requestHeaders: headers.get('Access-Control-Request-Headers'),
  };
}

const factory: PolicyFactory<CorsConfig> = (config) => {
  let origin: OriginRule;
  try {
    origin = compileOriginRule(config.allow_origin);
  } catch (error) {
    throw new PolicyConfigurationError('allow_origin', `invalid regular expression: ${(error as Error).message}`);
  }
  return {
    rewrite(ctx: PolicyContext): void {
      if (isPreflight(ctx.request.method, corsRequest(ctx))) ctx.exit(204);
    },
    header_filter(ctx: PolicyContext): void {
      for (const [name, value] of corsHeaders(config, origin, corsRequest(ctx))) ctx.response.headers.set(name, value);
    },
  };
};

export default factory;
