// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export type ValueType = 'plain' | 'liquid';
export type Method = 'ANY' | 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS' | 'TRACE' | 'CONNECT';
export type Methods = Method[];
export type JwtClaimCheckRuleCombineOp = 'and' | 'or';
export type JwtClaimCheckRuleOperationOp = '==' | '!=' | 'matches';

export interface JwtClaimCheckConfig {
  /**
   * Error message to show to user when traffic is blocked
   */
  error_message?: string;
  /**
   * Evaluate the operations against the whole request context (claims under jwt.*, headers, uri, service, …) instead of the JWT claims
   */
  enable_extended_context?: boolean;
  rules?: JwtClaimCheckRule[];
  [k: string]: unknown;
}
export interface JwtClaimCheckRule {
  /**
   * Resource controlled by the rule (mapping-rule pattern)
   */
  resource: string;
  resource_type?: ValueType;
  methods?: Methods;
  combine_op?: JwtClaimCheckRuleCombineOp;
  operations?: JwtClaimCheckRuleOperation[];
  [k: string]: unknown;
}
export interface JwtClaimCheckRuleOperation {
  jwt_claim: string;
  jwt_claim_type: ValueType;
  op: JwtClaimCheckRuleOperationOp;
  value: string;
  value_type?: ValueType;
  [k: string]: unknown;
}
