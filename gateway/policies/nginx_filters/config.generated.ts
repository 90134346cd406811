// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export interface NginxFiltersConfig {
  /**
   * Headers to filter
   *
   * @minItems 1
   */
  headers: NginxFiltersHeader[];
  [k: string]: unknown;
}
export interface NginxFiltersHeader {
  /**
   * Header name
   */
  name: string;
  /**
   * Send it to the upstream
   */
  append?: boolean;
  [k: string]: unknown;
}
