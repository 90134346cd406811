// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export interface ThreescaleReferrerConfig {
  [k: string]: unknown;
}
