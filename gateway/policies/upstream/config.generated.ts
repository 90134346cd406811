// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export interface UpstreamConfig {
  rules?: UpstreamRule[];
  [k: string]: unknown;
}
export interface UpstreamRule {
  /**
   * Regular expression searched in the request path
   */
  regex: string;
  /**
   * Upstream URL, e.g. http://example.com:8080/prefix
   */
  url: string;
  [k: string]: unknown;
}
