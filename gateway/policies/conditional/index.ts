/**
 * conditional (policies.md §5.6): a nested chain whose handlers run, phase by
 * phase, only while the condition holds (re-evaluated in every phase).
 * The nested chain is built like a service chain (same registry, schema
 * validation and errors), once per configuration load.
 */
import type { Policy, PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { PolicyConfigurationError } from '../../src/chain/policy.js';
import { CHAIN_PHASES } from '../../src/chain/phases.js';
import type { PolicyChain } from '../../src/chain/chain.js';
import { compileCondition, rateLimitedWarn } from '../../src/shared/conditions/index.js';
import { liquidScope } from '../../src/shared/liquid/index.js';
import type { ConditionalConfig } from './config.generated.js';

const factory: PolicyFactory<ConditionalConfig> = async (configuration, build) => {
  const warn = (m: string) => {
    build.log.warn(m);
  };
  const conditionJson = configuration.condition;
  if (!Array.isArray(conditionJson.operations))
    throw new PolicyConfigurationError('condition.operations', 'is required (an array of operations)');
  const condition = compileCondition(conditionJson, {
    field: 'condition',
    allowedOps: ['==', '!='],
    onInvalidLiquid: warn,
    warn: rateLimitedWarn(warn),
  });
  const chain: PolicyChain = await build.buildChain(configuration.policy_chain ?? [], 'policy_chain');
  const holds = (ctx: PolicyContext) => condition.evaluate(liquidScope(ctx));

  // The nested chain runs by the same phase rules as any chain (chain/phases.ts); the condition gates each phase.
  const policy: Policy = {
    ssl_certificate: (ctx) => (holds(ctx) ? chain.run('ssl_certificate', ctx) : undefined),
    rewrite: (ctx) => (holds(ctx) ? chain.run('rewrite', ctx) : undefined),
    access: (ctx) => (holds(ctx) ? chain.run('access', ctx) : undefined),
    content: (ctx) => (holds(ctx) ? chain.run('content', ctx) : undefined),
    balancer: (ctx) => (holds(ctx) ? chain.run('balancer', ctx) : undefined),
    header_filter: (ctx) => (holds(ctx) ? chain.runAll('header_filter', ctx) : undefined),
    post_action: (ctx) => (holds(ctx) ? chain.runAll('post_action', ctx) : undefined),
    log: (ctx) => (holds(ctx) ? chain.runAll('log', ctx) : undefined),
    body_filter(ctx, chunk, eof) {
      if (!holds(ctx)) return undefined;
      const filtered = chain.filterBody(ctx, chunk, eof);
      return filtered === chunk ? undefined : filtered;
    },
    export: () => ({ ...chain.exports }),
    // The nested policies belong to this configuration too.
    dispose: () =>
      chain.dispose((name, err) => {
        build.log.warn({ err, policy: name }, 'nested policy dispose failed');
      }),
  };
  // Only the phases the nested chain uses: no condition evaluation (or response re-chunking) for nothing.
  for (const phase of CHAIN_PHASES) {
    if (!chain.uses(phase)) Reflect.deleteProperty(policy, phase);
  }
  return policy;
};

export default factory;
