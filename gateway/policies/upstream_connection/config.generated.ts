// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export interface UpstreamConnectionConfig {
  /**
   * Seconds to establish the connection
   */
  connect_timeout?: number;
  /**
   * Seconds allowed between two writes to the upstream
   */
  send_timeout?: number;
  /**
   * Seconds allowed between two reads from the upstream
   */
  read_timeout?: number;
  [k: string]: unknown;
}
