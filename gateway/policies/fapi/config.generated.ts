// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export interface FapiConfig {
  /**
   * Refuse (403) requests whose x-fapi-customer-ip-address header is not one IPv4 or IPv6 address.
   */
  validate_x_fapi_customer_ip_address?: boolean;
  /**
   * Refuse (401) requests whose access token cnf x5t#S256 is not the SHA-256 thumbprint of the TLS client certificate (RFC 8705). Needs the HTTPS listener and a policy that parses the token (apicast OIDC, jwt_parser).
   */
  validate_oauth2_certificate_bound_access_token?: boolean;
  /**
   * Refuse (400) requests whose x-fapi-interaction-id header is not an RFC 4122 UUID. Extension of this gateway; the original echoes any value.
   */
  validate_x_fapi_interaction_id?: boolean;
  [k: string]: unknown;
}
