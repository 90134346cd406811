/**
 * payload_limits (policies.md §5.22): request bodies are checked by their
 * Content-Length in access; upstream responses by theirs in header_filter,
 * the whole body then being replaced by exactly `Payload Too Large` (no
 * newline) with a matching Content-Length. Chunked bodies are not checked.
 */
import type { Policy, PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import type { PayloadLimitsConfig } from './config.generated.js';

const REPLACEMENT = Buffer.from('Payload Too Large');
/** Request key under which header_filter tells body_filter to replace the body. */
const LIMITED = 'request_limited';

function declaredLength(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

const factory: PolicyFactory<PayloadLimitsConfig> = (configuration) => {
  const requestLimit = configuration.request;
  const responseLimit = configuration.response;
  const policy: Policy = {};
  // Phases are only defined for the limits in use: a body_filter costs a call
  // per chunk of every response, not worth paying for 0. The replacement has
  // an exact Content-Length, so no rewritesBody() declaration is needed.
  if (requestLimit > 0) {
    policy.access = (ctx: PolicyContext): void => {
      const length = declaredLength(ctx.request.headers.get('Content-Length'));
      if (length !== undefined && length > requestLimit) {
        ctx.exit(413, { body: 'Payload Too Large\n', headers: { 'Content-Type': 'text/plain' } });
      }
    };
  }
  if (responseLimit > 0) {
    policy.header_filter = (ctx: PolicyContext): void => {
      const length = declaredLength(ctx.response.headers.get('Content-Length'));
      if (length === undefined || length <= responseLimit) return;
      ctx.shared[LIMITED] = true;
      ctx.response.status = 413;
      ctx.response.headers.delete('Transfer-Encoding');
      ctx.response.headers.set('Content-Length', String(REPLACEMENT.length));
    };
    policy.body_filter = (ctx: PolicyContext, _chunk: Buffer, eof: boolean): Buffer | undefined => {
      if (ctx.shared[LIMITED] !== true) return;
      // Drop every upstream chunk and send the replacement once, at the end.
      return eof ? REPLACEMENT : Buffer.alloc(0);
    };
  }
  return policy;
};

export default factory;
