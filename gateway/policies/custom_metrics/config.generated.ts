// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export type ConditionCombineOp = 'and' | 'or';
export type ValueType = 'plain' | 'liquid';
export type ConditionOperationOp = '==' | '!=' | 'matches';

export interface CustomMetricsConfig {
  /**
   * @minItems 1
   */
  rules?: CustomMetricsRule[];
  [k: string]: unknown;
}
export interface CustomMetricsRule {
  /**
   * Metric name to increment (liquid)
   */
  metric: string;
  /**
   * Increment (liquid)
   */
  increment: string;
  condition: Condition;
  [k: string]: unknown;
}
export interface Condition {
  combine_op: ConditionCombineOp;
  /**
   * @minItems 1
   */
  operations: ConditionOperation[];
  [k: string]: unknown;
}
export interface ConditionOperation {
  left: string;
  left_type?: ValueType;
  op: ConditionOperationOp;
  right: string;
  right_type?: ValueType;
  [k: string]: unknown;
}
