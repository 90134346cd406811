// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export type ContentCachingRuleConditionCombineOp = 'and' | 'or';
export type OperationLeftType = 'plain' | 'liquid';
export type OperationOp = '==' | '!=' | 'matches';
export type OperationRightType = 'plain' | 'liquid';

export interface ContentCachingConfig {
  /**
   * @minItems 1
   */
  rules?: ContentCachingRule[];
  [k: string]: unknown;
}
export interface ContentCachingRule {
  /**
   * Store the response when the condition holds
   */
  cache: boolean;
  /**
   * Response header reporting the cache status (HIT, MISS, EXPIRED…)
   */
  header?: string;
  condition?: ContentCachingRuleCondition;
  [k: string]: unknown;
}
export interface ContentCachingRuleCondition {
  combine_op: ContentCachingRuleConditionCombineOp;
  /**
   * @minItems 1
   */
  operations: Operation[];
  [k: string]: unknown;
}
export interface Operation {
  left: string;
  left_type?: OperationLeftType;
  op: OperationOp;
  right: string;
  right_type?: OperationRightType;
  [k: string]: unknown;
}
