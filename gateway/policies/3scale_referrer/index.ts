/**
 * 3scale_referrer (policies.md §5.3): the request's Referer goes to every
 * backend authorization of the request as `referrer=<value>` (and so into
 * the auth-cache key, which apicast builds from extraBackendParams).
 */
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import type { ThreescaleReferrerConfig } from './config.generated.js';

const factory: PolicyFactory<ThreescaleReferrerConfig> = () => ({
  rewrite(ctx: PolicyContext) {
    const referer = ctx.request.headers.get('referer');
    if (referer !== undefined) ctx.extraBackendParams.set('referrer', referer);
  },
});

export default factory;
