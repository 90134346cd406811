// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export interface ThreescaleBatcherConfig {
  /**
   * TTL for cached auths in seconds
   */
  auths_ttl?: number;
  /**
   * Duration (in seconds) for batching reports
   */
  batch_report_seconds?: number;
  [k: string]: unknown;
}
