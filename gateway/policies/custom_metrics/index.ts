/**
 * custom_metrics (policies.md §5.9), post_action: each rule whose condition
 * holds (response status/headers available) adds `increment` to the rendered
 * metric. When apicast reports this request in its own post_action the usage
 * is merged into ctx.usage (one call); otherwise a separate report is sent
 * with the request's credentials.
 */
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { compileCondition, rateLimitedWarn, type CompiledCondition } from '../../src/shared/conditions/index.js';
import { compileLiquid, extendedLiquidScope, type LiquidTemplate } from '../../src/shared/liquid/index.js';
import { Usage } from '../../src/mapping/usage.js';
import { backendRuntime } from '../../src/backend/runtime.js';
import type { CustomMetricsConfig } from './config.generated.js';

/** Set by apicast when it will authrep in post_action (cache-hit path). */
import { APICAST_REPORTS_IN_POST_ACTION } from '../../src/shared/apicast-reports.js';

export { APICAST_REPORTS_IN_POST_ACTION };

interface Rule {
  metric: LiquidTemplate;
  increment: LiquidTemplate;
  condition: CompiledCondition;
}

const factory: PolicyFactory<CustomMetricsConfig> = (configuration, build) => {
  const warn = (m: string) => {
    build.log.warn(m);
  };
  const rules: Rule[] = (configuration.rules ?? []).map((r, i) => ({
    // metric and increment are required by the schema the configuration was validated against.
    metric: compileLiquid(r.metric, warn),
    increment: compileLiquid(r.increment, warn),
    condition: compileCondition(r.condition, { field: `rules[${i}].condition`, onInvalidLiquid: warn, warn: rateLimitedWarn(warn) }),
  }));

  function usageOf(ctx: PolicyContext): Usage {
    const scope = extendedLiquidScope(ctx, { credentials: false });
    const usage = new Usage();
    for (const rule of rules) {
      if (!rule.condition.evaluate(scope)) continue;
      const metric = rule.metric.render(scope);
      if (metric === '') continue;
      const increment = Number(rule.increment.render(scope));
      if (Number.isFinite(increment)) usage.add(metric, increment);
    }
    return usage;
  }

  return {
    async post_action(ctx: PolicyContext) {
      const service = ctx.service;
      if (!service) return;
      let usage: Usage;
      try {
        usage = usageOf(ctx);
      } catch (err) {
        ctx.log.warn({ err: (err as Error).message }, 'custom_metrics: could not evaluate the rules');
        return;
      }
      if (usage.isEmpty) return;
      if (ctx.shared[APICAST_REPORTS_IN_POST_ACTION] === true) {
        ctx.usage = (ctx.usage ?? new Usage()).merge(usage);
        return;
      }
      if (!ctx.credentials) return;
      const { client } = backendRuntime(build.runtime, ctx.settings, ctx.log);
      const response = await client.report(service, [{ credentials: ctx.credentials, usage }], ctx.trace);
      // 202 is what the backend answers; the original logged it as a failure (harmless quirk not kept).
      if (response.status < 200 || response.status >= 300) ctx.log.warn({ status: response.status }, 'custom_metrics: report failed');
    },
  };
};

export default factory;
