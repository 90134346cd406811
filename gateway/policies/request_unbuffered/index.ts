/**
 * request_unbuffered (policies.md §5.41): flags the request in rewrite (per
 * request, so that a conditional around it decides per request); the proxy
 * reads the flag (upstream/unbuffered.ts).
 */
import type { Policy, PolicyFactory } from '../../src/chain/policy.js';
import type { RequestUnbufferedConfig } from './config.generated.js';
import { markUnbuffered } from '../../src/upstream/unbuffered.js';

const factory: PolicyFactory<RequestUnbufferedConfig> = () => ({ rewrite: markUnbuffered }) satisfies Policy;

export default factory;
