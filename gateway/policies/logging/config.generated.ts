// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export type ValueType = 'plain' | 'liquid';
export type LoggingConditionOperationOp = '==' | '!=' | 'matches';
export type LoggingConditionCombineOp = 'and' | 'or';

export interface LoggingConfig {
  /**
   * Whether to enable access logs for the service
   */
  enable_access_logs?: boolean;
  /**
   * A string variable that uses liquid templating to render a custom access log entry
   */
  custom_logging?: string;
  /**
   * To enable logs in json format
   */
  enable_json_logs?: boolean;
  json_object_config?: LoggingJsonObjectConfigItem[];
  condition?: LoggingCondition;
  [k: string]: unknown;
}
export interface LoggingJsonObjectConfigItem {
  key?: string;
  value?: string;
  value_type?: ValueType;
  [k: string]: unknown;
}
export interface LoggingCondition {
  operations?: LoggingConditionOperation[];
  combine_op?: LoggingConditionCombineOp;
  [k: string]: unknown;
}
export interface LoggingConditionOperation {
  op: LoggingConditionOperationOp;
  match: string;
  match_type: ValueType;
  value: string;
  value_type: ValueType;
  [k: string]: unknown;
}
