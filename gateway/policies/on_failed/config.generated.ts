// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export interface OnFailedConfig {
  /**
   * Status code of the response when a policy failed
   */
  error_status_code?: number;
  [k: string]: unknown;
}
