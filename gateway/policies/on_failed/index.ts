/**
 * on_failed (policies.md §5.38): its presence makes the chain builder keep
 * failed policies as guards (chain/on-failed.ts); the policy itself only
 * exports the status those failures are answered with.
 */
import type { Policy, PolicyFactory } from '../../src/chain/policy.js';
import { FAILURE_STATUS_EXPORT } from '../../src/chain/on-failed.js';
import type { OnFailedConfig } from './config.generated.js';

const DEFAULT_STATUS = 503;

const factory: PolicyFactory<OnFailedConfig> = (configuration) => {
  const status = configuration.error_status_code ?? DEFAULT_STATUS;
  return { export: () => ({ [FAILURE_STATUS_EXPORT]: status }) } satisfies Policy;
};

export default factory;
