// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export interface CloudHostedUpstreamConfig {
  /**
   * Upstream URL (http or https) the requests are proxied to
   */
  url: string;
  [k: string]: unknown;
}
