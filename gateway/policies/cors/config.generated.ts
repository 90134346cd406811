// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export type CorsAllowMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS' | 'TRACE' | 'CONNECT';

export interface CorsConfig {
  /**
   * Allowed request headers (default: those the request asks for)
   */
  allow_headers?: string[];
  /**
   * Allowed methods (default: the one the request asks for)
   */
  allow_methods?: CorsAllowMethod[];
  /**
   * '*', an origin URL, or a regular expression the request Origin must match (default: the request Origin)
   */
  allow_origin?: string;
  /**
   * Value of Access-Control-Allow-Credentials (default true)
   */
  allow_credentials?: boolean;
  /**
   * Seconds a preflight answer may be cached (default 600)
   */
  max_age?: number;
  [k: string]: unknown;
}
