// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

/**
 * How the certificate is given
 */
export type UpstreamMtlsCertificateType = 'path' | 'embedded';
/**
 * How the key is given
 */
export type UpstreamMtlsCertificateKeyType = 'path' | 'embedded';

export interface UpstreamMtlsConfig {
  certificate_type: UpstreamMtlsCertificateType;
  certificate_key_type: UpstreamMtlsCertificateKeyType;
  /**
   * File path or data URL of the PEM certificate
   */
  certificate?: string;
  /**
   * File path or data URL of the PEM private key
   */
  certificate_key?: string;
  [k: string]: unknown;
}
