/**
 * maintenance_mode (policies.md §5.20): in access, answer every request (or
 * those matching the condition) with the maintenance response.
 */
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { compileCondition, rateLimitedWarn } from '../../src/shared/conditions/index.js';
import { liquidScope } from '../../src/shared/liquid/index.js';
import type { Upstream } from '../../src/upstream/upstream.js';
import type { MaintenanceModeConfig } from './config.generated.js';

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };

/**
 * `upstream` as conditions see it: scheme, host, port only when the URL names
 * one, path as written ('' when none), query.
 */
function upstreamFields(upstream: Upstream | undefined): Record<string, unknown> | undefined {
  if (!upstream) return undefined;
  const fields: Record<string, unknown> = {
    scheme: upstream.scheme,
    host: upstream.host,
    path: upstream.path ?? '',
    query: upstream.query ?? '',
  };
  // Upstream always carries a port; a scheme-default one is what an URL without port yields.
  if (upstream.port !== DEFAULT_PORTS[upstream.scheme]) fields['port'] = upstream.port;
  return fields;
}

const factory: PolicyFactory<MaintenanceModeConfig> = (configuration, build) => {
  const status = configuration.status ?? 503;
  const message = `${configuration.message ?? 'Service Unavailable - Maintenance'}\n`;
  const contentType = configuration.message_content_type ?? 'text/plain; charset=utf-8';
  // The schema types condition as an object: null does not get past validation.
  const hasCondition = configuration.condition !== undefined;
  const condition = compileCondition(configuration.condition, {
    field: 'condition',
    onInvalidLiquid: (m) => {
      build.log.warn(m);
    },
    warn: rateLimitedWarn((m) => {
      build.log.warn(m);
    }),
  });
  return {
    access(ctx: PolicyContext) {
      if (hasCondition) {
        const upstream = upstreamFields(ctx.routeUpstream ?? ctx.getUpstream());
        ctx.shared['upstream'] = upstream;
        if (!condition.evaluate(liquidScope(ctx, { upstream }))) return;
      }
      ctx.exit(status, { body: message, headers: { 'Content-Type': contentType } });
    },
  };
};

export default factory;
