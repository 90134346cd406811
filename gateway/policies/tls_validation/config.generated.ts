// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export interface TlsValidationConfig {
  /**
   * Trusted certificates
   */
  whitelist?: TlsValidationWhitelistItem[];
  /**
   * Status of a failed validation
   */
  error_status?: number;
  [k: string]: unknown;
}
export interface TlsValidationWhitelistItem {
  /**
   * Certificate in PEM format
   */
  pem_certificate: string;
  [k: string]: unknown;
}
