// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export interface JwtParserConfig {
  /**
   * URL of the OpenID provider (discovery at <issuer_endpoint>/.well-known/openid-configuration).
   */
  issuer_endpoint?: string;
  /**
   * Reject requests without a JWT in the Authorization header.
   */
  required?: boolean;
  oidc?: JwtParserOidc;
  [k: string]: unknown;
}
/**
 * Keys given in the configuration instead of discovery: {issuer, config: {id_token_signing_alg_values_supported}, keys: {<kid>: {pem}}}.
 */
export interface JwtParserOidc {
  issuer: string;
  config: {
    [k: string]: unknown;
  };
  keys?: {
    [k: string]: JwtParserOidcKeysValue;
  };
  [k: string]: unknown;
}
export interface JwtParserOidcKeysValue {
  pem: string;
  [k: string]: unknown;
}
