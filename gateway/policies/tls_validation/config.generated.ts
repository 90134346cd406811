// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

/**
 * none: no revocation check; crl: the CRLs of revoke_list; ocsp: ask an OCSP responder
 */
export type TlsValidationRevocationCheckType = 'none' | 'crl' | 'ocsp';

export interface TlsValidationConfig {
  /**
   * Trusted certificates (CA, intermediate or client certificates), PEM
   */
  whitelist?: PemEntry[];
  /**
   * Status of a failed validation
   */
  error_status?: number;
  revocation_check_type?: TlsValidationRevocationCheckType;
  /**
   * CRLs in PEM (-----BEGIN X509 CRL-----), used when revocation_check_type is crl
   */
  revoke_list?: PemEntry[];
  /**
   * http(s) URL of the OCSP responder, used instead of the one in the client certificate's Authority Information Access extension (revocation_check_type ocsp)
   */
  ocsp_responder_url?: string;
  /**
   * Seconds an OCSP answer is kept per client certificate (never past its nextUpdate); absent: every check asks the responder
   */
  cache_ttl?: number;
  [k: string]: unknown;
}
export interface PemEntry {
  /**
   * PEM text, including its -----BEGIN …----- and -----END …----- lines
   */
  pem_certificate: string;
  [k: string]: unknown;
}
