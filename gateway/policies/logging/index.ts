/**
 * logging (policies.md §5.19), log phase: turns the default access line on or
 * off, or replaces it with a custom Liquid line or a JSON object, optionally
 * only when a condition holds. The lines reach the access log through
 * shared/access-log-control.ts.
 */
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { compileCondition, LOGGING_FIELDS, rateLimitedWarn } from '../../src/shared/conditions/index.js';
import { compileLiquid, compileTemplateValue, extendedLiquidScope } from '../../src/shared/liquid/index.js';
import { addAccessLogLine, suppressDefaultAccessLog } from '../../src/shared/access-log-control.js';
import type { LoggingConfig } from './config.generated.js';

const factory: PolicyFactory<LoggingConfig> = (configuration, build) => {
  const warn = (m: string) => {
    build.log.warn(m);
  };
  const enableAccessLogs = configuration.enable_access_logs !== false;
  const customText = configuration.custom_logging;
  const custom = customText ? compileLiquid(customText, warn) : undefined;
  const json = configuration.enable_json_logs === true;
  const jsonEntries = (configuration.json_object_config ?? []).map((e) => ({
    key: e.key ?? '',
    value: compileTemplateValue(e.value, e.value_type, warn),
  }));
  const condition = compileCondition(configuration.condition, {
    field: 'condition',
    names: LOGGING_FIELDS,
    onInvalidLiquid: warn,
    warn: rateLimitedWarn(warn),
  });
  const replacesDefault = custom !== undefined || json;

  return {
    log(ctx: PolicyContext) {
      if (!enableAccessLogs || replacesDefault) suppressDefaultAccessLog(ctx);
      if (!replacesDefault) return;
      try {
        render(ctx);
      } catch (err) {
        // The response is gone already: a template error costs the line, nothing else.
        ctx.log.warn({ err: (err as Error).message }, 'logging: could not render the access log line');
      }
    },
  };

  function render(ctx: PolicyContext): void {
    const scope = extendedLiquidScope(ctx, { credentials: true });
    if (!condition.evaluate(scope)) return;
    if (json) {
      const object: Record<string, string> = {};
      for (const entry of jsonEntries) object[entry.key] = entry.value.render(scope);
      let line: string;
      try {
        line = JSON.stringify(object);
      } catch {
        return; // JSON encoding failure ⇒ no line
      }
      addAccessLogLine(ctx, line);
    } else if (custom) {
      addAccessLogLine(ctx, custom.render(scope));
    }
  }
};

export default factory;
