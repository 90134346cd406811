/**
 * caching — "3scale Auth Caching" (policies.md §5.4): exports the
 * `cache_handler` apicast (and 3scale_batcher) apply to every backend
 * authorization answer. No phase; position in the chain is irrelevant.
 */
import type { PolicyFactory } from '../../src/chain/policy.js';
import { allowHandler, noneHandler, resilientHandler, strictHandler, type CacheHandler } from '../../src/backend/cache-handlers.js';
import type { CachingCachingType, CachingConfig } from './config.generated.js';

const HANDLERS: Record<CachingCachingType, CacheHandler> = {
  strict: strictHandler,
  resilient: resilientHandler,
  allow: allowHandler,
  none: noneHandler,
};

const factory: PolicyFactory<CachingConfig> = (configuration) => {
  const handler = HANDLERS[configuration.caching_type];
  return { export: () => ({ cache_handler: handler }) };
};

export default factory;
