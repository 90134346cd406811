/**
 * Left operands of routing operations (policies.md §5.27): request values
 * read in access (after every rewrite-phase policy). A missing header,
 * argument or claim is `undefined`, compared as the string `nil` (§4.2).
 */
import type { PolicyContext } from '../../src/chain/policy.js';
import { compileLiquid, type InvalidLiquidReporter } from '../../src/shared/liquid/index.js';
import type { Operand } from '../../src/shared/conditions/index.js';
import { jwtClaims } from '../../src/shared/oidc/claims.js';
import type { Operation } from './config.generated.js';
import { schemaRequired } from '../../src/shared/schema-required.js';

/** One operation of a rule's condition, as the manifest's `operation` definition declares it. */
export type OperationJson = Operation;

/** Routing evaluates operations against this per-request scope. */
export interface RoutingScope {
  ctx: PolicyContext;
  liquid: () => object;
}

export function leftOperand(op: OperationJson, onInvalid: InvalidLiquidReporter): Operand {
  switch (op.match) {
    case 'path':
      return { source: 'path', constant: false, value: (s) => (s as RoutingScope).ctx.request.path };
    case 'header': {
      const name = schemaRequired(op.header_name, 'header_name');
      return { source: `header ${name}`, constant: false, value: (s) => (s as RoutingScope).ctx.request.headers.get(name) };
    }
    case 'query_arg': {
      const name = schemaRequired(op.query_arg_name, 'query_arg_name');
      return { source: `query_arg ${name}`, constant: false, value: (s) => (s as RoutingScope).ctx.request.args().get(name) };
    }
    case 'jwt_claim': {
      const name = schemaRequired(op.jwt_claim_name, 'jwt_claim_name');
      return { source: `jwt_claim ${name}`, constant: false, value: (s) => jwtClaims((s as RoutingScope).ctx.jwt)?.[name] };
    }
    case 'liquid': {
      const template = compileLiquid(op.liquid_value ?? '', onInvalid);
      return { source: op.liquid_value ?? '', constant: false, value: (s) => template.render((s as RoutingScope).liquid()) };
    }
  }
}
