/**
 * retry (policies.md §5.25): exports `upstream_retries`; the upstream client
 * retries an attempt that fails with a case of APICAST_UPSTREAM_RETRY_CASES
 * while fewer than that many retries were made. Position in the chain is
 * irrelevant because it is an export.
 */
import type { Policy } from '../../src/chain/policy.js';

export default function retry(configuration: Record<string, unknown>): Policy {
  const retries = typeof configuration['retries'] === 'number' ? configuration['retries'] : 0;
  return {
    export: () => ({ upstream_retries: retries }),
  };
}
