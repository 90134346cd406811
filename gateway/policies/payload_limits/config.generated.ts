// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export interface PayloadLimitsConfig {
  /**
   * Request body limit in bytes (0: unlimited)
   */
  request: number;
  /**
   * Response body limit in bytes (0: unlimited)
   */
  response: number;
  [k: string]: unknown;
}
