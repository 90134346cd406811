// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

/**
 * Exit mode
 */
export type EchoExit = 'request' | 'phase';

export interface EchoConfig {
  /**
   * HTTP status code to be returned
   */
  status?: number;
  exit?: EchoExit;
  [k: string]: unknown;
}
