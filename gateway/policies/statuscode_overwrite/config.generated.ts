// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export interface StatuscodeOverwriteConfig {
  http_statuses?: StatuscodeOverwriteHttpStatus[];
  [k: string]: unknown;
}
export interface StatuscodeOverwriteHttpStatus {
  /**
   * Status to replace
   */
  upstream: number;
  /**
   * Status sent instead
   */
  apicast: number;
  [k: string]: unknown;
}
