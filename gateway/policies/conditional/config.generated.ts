// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export type ValueType = 'plain' | 'liquid';
export type OperationOp = '==' | '!=';
export type ConditionalConditionCombineOp = 'and' | 'or';

export interface ConditionalConfig {
  condition: ConditionalCondition;
  policy_chain?: ConditionalPolicyChainItem[];
  [k: string]: unknown;
}
export interface ConditionalCondition {
  /**
   * @minItems 1
   */
  operations?: Operation[];
  combine_op?: ConditionalConditionCombineOp;
  [k: string]: unknown;
}
export interface Operation {
  left: string;
  left_type?: ValueType;
  op: OperationOp;
  right: string;
  right_type?: ValueType;
  [k: string]: unknown;
}
export interface ConditionalPolicyChainItem {
  name: string;
  version?: string;
  configuration?: {
    [k: string]: unknown;
  } | null;
  [k: string]: unknown;
}
