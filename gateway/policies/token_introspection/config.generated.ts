// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export type TokenIntrospectionAuthType =
  'client_id+client_secret' | 'use_3scale_oidc_issuer_endpoint' | 'client_secret_jwt' | 'private_key_jwt';
/**
 * path: a PEM file; embedded: a base64 data URL
 */
export type TokenIntrospectionCertificateType = 'path' | 'embedded';

export interface TokenIntrospectionConfig {
  auth_type: TokenIntrospectionAuthType;
  /**
   * Max TTL for cached tokens
   */
  max_ttl_tokens?: number;
  /**
   * Max number of tokens to cache
   */
  max_cached_tokens?: number;
  client_id?: string;
  client_secret?: string;
  introspection_url?: string;
  /**
   * aud of the client assertion (usually the issuer or token endpoint URL)
   */
  client_jwt_assertion_audience?: string;
  /**
   * Lifetime of the client assertion in seconds
   */
  client_jwt_assertion_expires_in?: number;
  certificate_type?: TokenIntrospectionCertificateType;
  /**
   * Private key (RSA or EC) that signs the client assertion
   */
  certificate?: string;
  [k: string]: unknown;
}
