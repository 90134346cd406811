/**
 * conditional (policies.md §5.6): a nested chain whose handlers run, phase by
 * phase, only while the condition holds (re-evaluated in every phase).
 * The nested chain is built like a service chain (same registry, schema
 * validation and errors), once per configuration load.
 */
import type { Policy, PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { PolicyConfigurationError } from '../../src/chain/policy.js';
import type { PolicyChain } from '../../src/chain/chain.js';
import type { PolicyChainEntryJson } from '../../src/config/types.js';
import { compileCondition, rateLimitedWarn } from '../../src/shared/conditions/index.js';
import { liquidScope } from '../../src/shared/liquid/index.js';

type RequestPhase = 'ssl_certificate' | 'rewrite' | 'access' | 'content' | 'balancer';
type AllPhase = 'header_filter' | 'post_action' | 'log';

/** Whether the outer runner would stop after this handler (exit, skip-phase, content decided). */
function stops(ctx: PolicyContext, phase: RequestPhase): boolean {
  // phaseSkipped is on the gateway's RequestContext, not in the PolicyContext contract.
  const skipped = (ctx as { phaseSkipped?: boolean }).phaseSkipped === true;
  return ctx.exited || skipped || ctx.aborted || (phase === 'content' && ctx.contentDecided);
}

const factory: PolicyFactory = async (configuration, build) => {
  const warn = (m: string) => build.log.warn(m);
  const conditionJson = configuration['condition'] as Record<string, unknown>;
  if (!Array.isArray(conditionJson['operations'])) throw new PolicyConfigurationError('condition.operations', 'is required (an array of operations)');
  const condition = compileCondition(conditionJson, { field: 'condition', allowedOps: ['==', '!='], onInvalidLiquid: warn, warn: rateLimitedWarn(warn) });
  const chain: PolicyChain = await build.buildChain((configuration['policy_chain'] as PolicyChainEntryJson[] | undefined) ?? [], 'policy_chain');
  const holds = (ctx: PolicyContext) => condition.evaluate(liquidScope(ctx));

  const requestPhase = (phase: RequestPhase) => async (ctx: PolicyContext) => {
    if (!holds(ctx)) return;
    for (const { handler } of chain.handlers(phase)) {
      await (handler as (c: PolicyContext) => unknown)(ctx);
      if (stops(ctx, phase)) return;
    }
  };
  const everyPolicy = (phase: AllPhase) => async (ctx: PolicyContext) => {
    if (!holds(ctx)) return;
    for (const { entry, handler } of chain.handlers(phase)) {
      try {
        await (handler as (c: PolicyContext) => unknown)(ctx);
      } catch (err) {
        ctx.log.error({ err, policy: entry.name }, `policy ${entry.name} failed in ${phase} (inside conditional)`);
      }
    }
  };

  const policy: Policy = {
    ssl_certificate: requestPhase('ssl_certificate'),
    rewrite: requestPhase('rewrite'),
    access: requestPhase('access'),
    content: requestPhase('content'),
    balancer: requestPhase('balancer'),
    header_filter: everyPolicy('header_filter'),
    post_action: everyPolicy('post_action'),
    log: everyPolicy('log'),
    body_filter(ctx, chunk, eof) {
      if (!holds(ctx)) return undefined;
      let current = chunk;
      for (const { handler } of chain.handlers('body_filter')) {
        const replaced = (handler as (c: PolicyContext, b: Buffer, e: boolean) => Buffer | void)(ctx, current, eof);
        if (replaced !== undefined) current = replaced;
      }
      return current === chunk ? undefined : current;
    },
    export: () => ({ ...chain.exports }),
    // The nested policies belong to this configuration too.
    dispose: () => chain.dispose((name, err) => build.log.warn({ err, policy: name }, 'nested policy dispose failed')),
  };
  // Only the phases the nested chain uses: no condition evaluation (or response re-chunking) for nothing.
  for (const phase of ['ssl_certificate', 'rewrite', 'access', 'content', 'balancer', 'header_filter', 'post_action', 'log', 'body_filter'] as const) {
    if (chain.handlers(phase).length === 0) delete policy[phase];
  }
  return policy;
};

export default factory;
