/**
 * routing (policies.md §5.27): access picks the first rule whose condition
 * holds as `ctx.routeUpstream`; content proxies to it. Place before apicast.
 */
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { PolicyConfigurationError } from '../../src/chain/policy.js';
import { combine, compileOperation, rateLimitedWarn, templateOperand, type CompiledCondition } from '../../src/shared/conditions/index.js';
import { compileLiquid, liquidScope, type LiquidTemplate } from '../../src/shared/liquid/index.js';
import { parseUpstream, UpstreamUrlError, type Upstream } from '../../src/upstream/upstream.js';
import { matchRules } from '../../src/mapping/matcher.js';
import { escapeUri } from '../../src/http/uri.js';
import { Usage } from '../../src/mapping/usage.js';
import type { RoutingConfig } from './config.generated.js';
import { leftOperand, type RoutingScope } from './operands.js';

interface Rule {
  url: Upstream;
  /** undefined: not configured (hostname_rewrite applies); '' disables hostname_rewrite too. */
  hostHeader: string | undefined;
  ownerId: string | undefined;
  replacePath: LiquidTemplate | undefined;
  condition: CompiledCondition;
}

/** `/b1` + `v-1` ⇒ `/b1/v-1`: joined with a `/`, runs of `/` collapsed (policies.md §5.27). */
export function joinPath(base: string | null, rendered: string): string {
  return `${base ?? ''}/${rendered}`.replace(/\/{2,}/g, '/');
}

const factory: PolicyFactory<RoutingConfig> = (configuration, build) => {
  const warn = (m: string) => {
    build.log.warn(m);
  };
  const rules: Rule[] = [];
  (configuration.rules ?? []).forEach((rule, i) => {
    const field = `rules[${i}]`;
    if (!rule.condition)
      throw new PolicyConfigurationError(`${field}.condition`, 'is required (use "operations": [] for a catch-all rule)');
    if (!Array.isArray(rule.condition.operations))
      throw new PolicyConfigurationError(`${field}.condition.operations`, 'is required (an array, [] for a catch-all rule)');
    let url: Upstream;
    try {
      url = parseUpstream(rule.url);
    } catch (err) {
      if (!(err instanceof UpstreamUrlError)) throw err;
      warn(`routing: ${field}.url ${err.message}; rule skipped`);
      return;
    }
    const operations = rule.condition.operations.map((op, j) =>
      compileOperation({
        left: leftOperand(op, warn),
        op: op.op,
        right: templateOperand(op.value, op.value_type, warn),
        field: `${field}.condition.operations[${j}]`,
        rightName: 'value',
        warn: rateLimitedWarn(warn),
      }),
    );
    rules.push({
      url,
      hostHeader: rule.host_header,
      ownerId: rule.owner_id === undefined ? undefined : String(rule.owner_id),
      replacePath: rule.replace_path === undefined ? undefined : compileLiquid(rule.replace_path, warn),
      condition: combine(operations, rule.condition.combine_op, `${field}.condition`),
    });
  });
  /** Requests this instance routed (content proxies only those). */
  const routed = new WeakSet<PolicyContext>();

  function upstreamFor(rule: Rule, ctx: PolicyContext, liquid: () => object): Upstream {
    const hostHeader = rule.hostHeader === undefined ? ctx.service?.hostnameRewrite : rule.hostHeader;
    let path = rule.url.path;
    let query = rule.url.query;
    if (rule.replacePath) {
      const rendered = rule.replacePath.render(liquid());
      const q = rendered.indexOf('?');
      path = joinPath(rule.url.path, q < 0 ? rendered : rendered.slice(0, q));
      // Quirk kept: without a `?` in the rendering, a query written in the rule URL is dropped too.
      if (q < 0) query = null;
      ctx.request.path = '/';
    }
    return { ...rule.url, path, query, hostHeader: hostHeader || undefined, ownerId: rule.ownerId };
  }

  /** API as a Product: usage of mapping rules owned by other backends does not count. */
  function cleanUsage(ctx: PolicyContext, ownerId: string): void {
    const service = ctx.service;
    if (!service || !ctx.usage) return;
    const { matched } = matchRules(service.rules, ctx.request.method, escapeUri(ctx.originalRequest.path), ctx.request.args());
    const foreign = new Usage();
    for (const rule of matched)
      if (rule.ownerId !== undefined && rule.ownerType !== undefined && rule.ownerId !== ownerId) foreign.add(rule.metric, rule.delta);
    if (!foreign.isEmpty) ctx.usage.subtract(foreign);
  }

  return {
    access(ctx: PolicyContext) {
      let cached: object | undefined;
      const scope: RoutingScope = { ctx, liquid: () => (cached ??= liquidScope(ctx)) };
      for (const rule of rules) {
        if (!rule.condition.evaluate(scope)) continue;
        ctx.routeUpstream = upstreamFor(rule, ctx, scope.liquid);
        routed.add(ctx);
        if (rule.ownerId !== undefined) cleanUsage(ctx, rule.ownerId);
        return;
      }
    },
    content(ctx: PolicyContext) {
      if (routed.has(ctx) && ctx.routeUpstream) ctx.proxyPass(ctx.routeUpstream);
    },
  };
};

export default factory;
