// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export type RewriteUrlCapturesTransformationMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface RewriteUrlCapturesConfig {
  transformations?: RewriteUrlCapturesTransformation[];
  [k: string]: unknown;
}
export interface RewriteUrlCapturesTransformation {
  /**
   * Path pattern with {name} placeholders, e.g. /{orderId}/{accountId}
   */
  match_rule?: string;
  /**
   * New path and query, e.g. /sales/v2/{orderId}?account={accountId}
   */
  template?: string;
  /**
   * Request methods the rule applies to (empty: all)
   */
  methods?: RewriteUrlCapturesTransformationMethod[];
  [k: string]: unknown;
}
