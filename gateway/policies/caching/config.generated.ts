// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

/**
 * Caching mode
 */
export type CachingCachingType = 'resilient' | 'strict' | 'allow' | 'none';

export interface CachingConfig {
  caching_type: CachingCachingType;
  [k: string]: unknown;
}
