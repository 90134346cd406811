/**
 * rewrite_url_captures (policies.md §5.26): rewrite-phase path and query
 * rewriting from captured path segments; only the first matching
 * transformation applies.
 */
import { PolicyConfigurationError, type PolicyContext, type PolicyFactory } from '../../src/chain/policy.js';
import type { RewriteUrlCapturesConfig } from './config.generated.js';
import { applyTransformations, compileTransformation, TransformationError, type Transformation } from './transformation.js';

const factory: PolicyFactory<RewriteUrlCapturesConfig> = (configuration) => {
  const json = configuration.transformations ?? [];
  let transformations: Transformation[];
  try {
    transformations = json.map(compileTransformation);
  } catch (error) {
    if (error instanceof TransformationError) throw new PolicyConfigurationError(error.field, error.message.slice(error.field.length + 2));
    throw error;
  }
  return {
    rewrite(ctx: PolicyContext): void {
      const { request } = ctx;
      const result = applyTransformations(transformations, request.path, request.method, request.query);
      if (!result) return;
      request.path = result.path;
      if (result.query !== undefined) request.query = result.query;
    },
  };
};

export default factory;
