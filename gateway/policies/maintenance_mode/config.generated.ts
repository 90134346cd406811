// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export type MaintenanceModeConditionCombineOp = 'and' | 'or';
export type ValueType = 'plain' | 'liquid';
export type OperationOp = '==' | '!=' | 'matches';

export interface MaintenanceModeConfig {
  condition?: MaintenanceModeCondition;
  /**
   * HTTP status code to return
   */
  status?: number;
  /**
   * HTTP response to return
   */
  message?: string;
  /**
   * Content-Type header for the response
   */
  message_content_type?: string;
  [k: string]: unknown;
}
export interface MaintenanceModeCondition {
  combine_op: MaintenanceModeConditionCombineOp;
  /**
   * @minItems 1
   */
  operations: Operation[];
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
