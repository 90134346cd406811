// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export interface TlsConfig {
  /**
   * Certificates, the first usable one is served
   */
  certificates?: (
    | {
        /**
         * Certificate as a data URL
         */
        certificate: string;
        /**
         * Private key as a data URL
         */
        certificate_key: string;
        [k: string]: unknown;
      }
    | {
        /**
         * Path of the PEM certificate
         */
        certificate_path: string;
        /**
         * Path of the PEM private key
         */
        certificate_key_path: string;
        [k: string]: unknown;
      }
  )[];
  [k: string]: unknown;
}
