/**
 * upstream (policies.md §5.33): chooses the upstream in rewrite by a regex on
 * the path as left by the rewrite-phase policies before it, publishes it as
 * `route_upstream` in access, and proxies to it in content. The service's
 * hostname_rewrite is not applied (Host = URL host[:non-default port]).
 */
import { PolicyConfigurationError, type PolicyContext, type PolicyFactory } from '../../src/chain/policy.js';
import { parseUpstream, type Upstream } from '../../src/upstream/upstream.js';
import type { UpstreamConfig } from './config.generated.js';

interface CompiledRule {
  regex: RegExp;
  upstream: Upstream;
}

/** Request key carrying the rewrite-phase choice to access and content. */
const SELECTED = 'upstream_policy_selection';

const factory: PolicyFactory<UpstreamConfig> = (configuration, build) => {
  const rules: CompiledRule[] = [];
  (configuration.rules ?? []).forEach((rule, index) => {
    let regex: RegExp;
    try {
      regex = new RegExp(rule.regex);
    } catch (error) {
      throw new PolicyConfigurationError(`rules[${index}].regex`, `invalid regular expression: ${(error as Error).message}`);
    }
    let target: Upstream;
    try {
      target = parseUpstream(rule.url);
    } catch (error) {
      // As the original: a rule with an unusable URL is skipped at load.
      build.log.warn({ field: `rules[${index}].url` }, `upstream rule skipped: ${(error as Error).message}`);
      return;
    }
    rules.push({ regex, upstream: target });
  });

  return {
    rewrite(ctx: PolicyContext): void {
      const path = ctx.request.path;
      const match = rules.find((rule) => rule.regex.test(path));
      if (match) ctx.shared[SELECTED] = match.upstream;
    },
    access(ctx: PolicyContext): void {
      const selected = ctx.shared[SELECTED] as Upstream | undefined;
      if (selected) ctx.routeUpstream = selected;
    },
    content(ctx: PolicyContext): void {
      const selected = ctx.shared[SELECTED] as Upstream | undefined;
      if (selected && !ctx.contentDecided) ctx.proxyPass(selected);
    },
  };
};

export default factory;
