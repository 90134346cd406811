// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export interface CamelConfig {
  /**
   * Proxy for both schemes unless a protocol-specific one is set
   */
  all_proxy?: string;
  /**
   * Proxy for https upstreams
   */
  https_proxy?: string;
  /**
   * Proxy for http upstreams
   */
  http_proxy?: string;
  [k: string]: unknown;
}
