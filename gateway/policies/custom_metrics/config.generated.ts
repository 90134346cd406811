// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export type CustomMetricsRuleConditionCombineOp = 'and' | 'or';
export type ValueType = 'plain' | 'liquid';
export type CustomMetricsRuleConditionOperationOp = '==' | '!=' | 'matches';

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
  condition: CustomMetricsRuleCondition;
  [k: string]: unknown;
}
export interface CustomMetricsRuleCondition {
  combine_op: CustomMetricsRuleConditionCombineOp;
  /**
   * @minItems 1
   */
  operations: CustomMetricsRuleConditionOperation[];
  [k: string]: unknown;
}
export interface CustomMetricsRuleConditionOperation {
  left: string;
  left_type?: ValueType;
  op: CustomMetricsRuleConditionOperationOp;
  right: string;
  right_type?: ValueType;
  [k: string]: unknown;
}
