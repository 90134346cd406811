/**
 * jwt_claim_check (policies.md §5.16): for each rule whose method and
 * resource match the request, a false claim condition ⇒ 403 error_message.
 * Claims are evaluated as Liquid against the JWT claims: plain `role` means
 * `{{role}}`, liquid allows `role_{{aud}}`. With `enable_extended_context`
 * (APIcast 3.15) the operations see the whole request context instead, as
 * Liquid does elsewhere: claims only under `jwt.` (`{{ jwt.role }}`), next to
 * `headers`, `uri`, `service`…, so a claim can never shadow those names.
 */
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { PolicyConfigurationError } from '../../src/chain/policy.js';
import { combine, compileOperation, rateLimitedWarn, templateOperand, type CompiledCondition } from '../../src/shared/conditions/index.js';
import { compileLiquid, liquidScope } from '../../src/shared/liquid/index.js';
import { compileResource, type CompiledResource } from '../../src/shared/resources/index.js';
import { jwtClaims } from '../../src/shared/oidc/claims.js';
import type { JwtClaimCheckConfig } from './config.generated.js';

const factory: PolicyFactory<JwtClaimCheckConfig> = (configuration, build) => {
  const warn = (m: string) => {
    build.log.warn(m);
  };
  const errorMessage = `${configuration.error_message ?? 'Request blocked due to JWT claim policy'}\n`;
  const rulesJson = configuration.rules;
  const extended = configuration.enable_extended_context === true;
  if (!Array.isArray(rulesJson)) throw new PolicyConfigurationError('rules', 'is required (an array of rules)');
  const rules: { resource: CompiledResource; condition: CompiledCondition }[] = rulesJson.map((rule, i) => {
    const field = `rules[${i}]`;
    if (!Array.isArray(rule.operations)) throw new PolicyConfigurationError(`${field}.operations`, 'is required (an array of operations)');
    const operations = rule.operations.map((op, j) => {
      const claim = compileLiquid(op.jwt_claim_type === 'liquid' ? op.jwt_claim : `{{${op.jwt_claim}}}`, warn);
      return compileOperation({
        left: { source: op.jwt_claim, constant: false, value: (scope) => claim.render(scope) },
        op: op.op,
        right: templateOperand(op.value, op.value_type, warn),
        field: `${field}.operations[${j}]`,
        rightName: 'value',
        warn: rateLimitedWarn(warn),
      });
    });
    return {
      resource: compileResource(rule.resource, rule.resource_type, rule.methods, field, warn),
      condition: combine(operations, rule.combine_op, field),
    };
  });
  return {
    access(ctx: PolicyContext) {
      const scope = liquidScope(ctx);
      // The claims are the template variables of the operations (extended: the context, claims under jwt).
      const claims = extended ? { ...scope, jwt: jwtClaims(ctx.jwt) ?? {} } : { ...scope, ...(jwtClaims(ctx.jwt) ?? {}) };
      const uri = ctx.getUri();
      for (const rule of rules) {
        if (!rule.resource.matches(scope, ctx.request.method, uri)) continue;
        if (!rule.condition.evaluate(claims)) {
          ctx.exit(403, { body: errorMessage, headers: { 'Content-Type': 'text/plain' } });
          return;
        }
      }
    },
  };
};

export default factory;
