// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

/**
 * What to do with the listed IPs
 */
export type IpCheckCheckType = 'blacklist' | 'whitelist';
export type IpCheckClientIpSource = 'X-Forwarded-For' | 'X-Real-IP' | 'proxy_protocol_addr' | 'last_caller';

export interface IpCheckConfig {
  /**
   * IPv4 addresses or CIDR ranges
   */
  ips: string[];
  check_type: IpCheckCheckType;
  /**
   * Body of the 403 response of a denied request
   */
  error_msg?: string;
  /**
   * Where the client IP is read from, tried in order until one yields a value
   *
   * @minItems 1
   * @maxItems 3
   */
  client_ip_sources?: IpCheckClientIpSource[];
  [k: string]: unknown;
}
