// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export type KeyNameType = 'plain' | 'liquid';
export type KeyScope = 'global' | 'service';
export type OperationLeftType = 'plain' | 'liquid';
export type OperationOp = '==' | '!=' | 'matches';
export type OperationRightType = 'plain' | 'liquid';
export type ConditionCombineOp = 'and' | 'or';
export type ErrorHandling = 'exit' | 'log';

export interface RateLimitConfig {
  connection_limiters?: RateLimitConnectionLimiter[];
  leaky_bucket_limiters?: RateLimitLeakyBucketLimiter[];
  fixed_window_limiters?: RateLimitFixedWindowLimiter[];
  /**
   * URL of Redis (redis:// or redis+sentinel://)
   */
  redis_url?: string;
  limits_exceeded_error?: RateLimitLimitsExceededError;
  configuration_error?: RateLimitConfigurationError;
  [k: string]: unknown;
}
export interface RateLimitConnectionLimiter {
  key?: Key;
  condition?: Condition;
  /**
   * The maximum number of concurrent requests allowed
   */
  conn?: number;
  /**
   * The number of excessive concurrent requests (or connections) allowed to be delayed
   */
  burst?: number;
  /**
   * The default processing latency of a typical connection (or request)
   */
  delay?: number;
  [k: string]: unknown;
}
/**
 * The key corresponding to the limiter object
 */
export interface Key {
  /**
   * The name of the key, must be unique in the scope
   */
  name?: string;
  name_type?: KeyNameType;
  scope?: KeyScope;
  [k: string]: unknown;
}
export interface Condition {
  /**
   * @minItems 0
   */
  operations?: Operation[];
  combine_op?: ConditionCombineOp;
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
export interface RateLimitLeakyBucketLimiter {
  key?: Key;
  condition?: Condition;
  /**
   * The specified request rate (number per second) threshold
   */
  rate?: number;
  /**
   * The number of excessive requests per second allowed to be delayed
   */
  burst?: number;
  [k: string]: unknown;
}
export interface RateLimitFixedWindowLimiter {
  key: Key;
  condition?: Condition;
  /**
   * The specified number of requests threshold
   */
  count: number;
  /**
   * The time window in seconds before the request count is reset
   */
  window: number;
  [k: string]: unknown;
}
export interface RateLimitLimitsExceededError {
  /**
   * The status code when requests over the limit
   */
  status_code?: number;
  error_handling?: ErrorHandling;
  [k: string]: unknown;
}
export interface RateLimitConfigurationError {
  /**
   * The status code when there is some configuration issue
   */
  status_code?: number;
  error_handling?: ErrorHandling;
  [k: string]: unknown;
}
