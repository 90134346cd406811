/**
 * retry (policies.md §5.25): exports `upstream_retries`; the upstream client
 * retries an attempt that fails with a case of APICAST_UPSTREAM_RETRY_CASES
 * while fewer than that many retries were made. Position in the chain is
 * irrelevant because it is an export.
 */
import type { PolicyFactory } from '../../src/chain/policy.js';
import type { RetryConfig } from './config.generated.js';

const factory: PolicyFactory<RetryConfig> = (configuration) => {
  const retries = configuration.retries ?? 0;
  return {
    export: () => ({ upstream_retries: retries }),
  };
};

export default factory;
