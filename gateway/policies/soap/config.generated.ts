// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export interface SoapConfig {
  mapping_rules?: SoapMappingRule[];
  [k: string]: unknown;
}
export interface SoapMappingRule {
  /**
   * Pattern matched against the SOAP action
   */
  pattern: string;
  /**
   * Metric to increase
   */
  metric_system_name: string;
  /**
   * Amount to add
   */
  delta: number;
  [k: string]: unknown;
}
