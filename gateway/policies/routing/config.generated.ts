// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export type RoutingRuleConditionCombineOp = 'and' | 'or';
export type Operation = {
  match: OperationMatch;
  op: OperationOp;
  value: string;
  value_type?: ValueType;
  header_name?: string;
  query_arg_name?: string;
  jwt_claim_name?: string;
  liquid_value?: string;
  [k: string]: unknown;
};
export type OperationMatch = 'path' | 'header' | 'query_arg' | 'jwt_claim' | 'liquid';
export type OperationOp = '==' | '!=' | 'matches';
export type ValueType = 'plain' | 'liquid';

export interface RoutingConfig {
  rules?: RoutingRule[];
  [k: string]: unknown;
}
export interface RoutingRule {
  url: string;
  /**
   * Host for the Host header. When not specified, defaults to the host of the URL.
   */
  host_header?: string;
  /**
   * Value to only increment hits on the mapping rules owned by the same id.
   */
  owner_id?: number;
  owner_type?: string;
  /**
   * Liquid filter to modify the request path to the matched Upstream URL.
   */
  replace_path?: string;
  condition?: RoutingRuleCondition;
  [k: string]: unknown;
}
export interface RoutingRuleCondition {
  combine_op?: RoutingRuleConditionCombineOp;
  operations?: Operation[];
  [k: string]: unknown;
}
