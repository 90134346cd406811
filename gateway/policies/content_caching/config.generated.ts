// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export type ContentCachingRuleConditionCombineOp = 'and' | 'or';
export type LeftType = 'plain' | 'liquid';
export type Op = '==' | '!=' | 'matches';
export type RightType = 'plain' | 'liquid';

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
  left_type?: LeftType;
  op: Op;
  right: string;
  right_type?: RightType;
  [k: string]: unknown;
}
