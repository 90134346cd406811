/**
 * soap (policies.md §5.28): usage from the SOAP action, matched against the
 * policy's mapping rules (mapping-rule pattern semantics, method ignored, no
 * query checks) and merged into the request usage APIcast reports.
 */
import { PolicyConfigurationError, type PolicyContext, type PolicyFactory } from '../../src/chain/policy.js';
import { compileRule, type CompiledMappingRule } from '../../src/mapping/rule.js';
import { Usage } from '../../src/mapping/usage.js';
import type { SoapConfig } from './config.generated.js';
import { soapAction } from './soap-action.js';

const factory: PolicyFactory<SoapConfig> = (configuration) => {
  const rules: CompiledMappingRule[] = (configuration.mapping_rules ?? []).map((rule, index) => {
    try {
      return compileRule({ http_method: 'ANY', pattern: rule.pattern, metric_system_name: rule.metric_system_name, delta: rule.delta });
    } catch (error) {
      throw new PolicyConfigurationError(`mapping_rules[${index}].pattern`, (error as Error).message);
    }
  });
  return {
    rewrite(ctx: PolicyContext): void {
      const headers = ctx.request.headers;
      const action = soapAction(headers.get('Content-Type'), headers.get('SOAPAction'));
      if (action === undefined || rules.length === 0) return;
      const usage = new Usage();
      for (const rule of rules) if (rule.regex.test(action)) usage.add(rule.metric, rule.delta);
      if (usage.isEmpty) return;
      ctx.usage = (ctx.usage ?? new Usage()).merge(usage);
    },
  };
};

export default factory;
