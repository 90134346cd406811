/**
 * echo (policies.md §5.11): answers with the request line, or ends the
 * request early with a status.
 */
import type { Policy, PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import type { EchoConfig } from './config.generated.js';

export function requestLine(ctx: PolicyContext): string {
  return `${ctx.request.method} ${ctx.request.rawTarget} HTTP/${ctx.request.httpVersion}`;
}

const echo: PolicyFactory<EchoConfig> = (config) => {
  const policy: Policy = {
    rewrite(ctx) {
      if (config.exit === 'request') {
        ctx.exit(config.status ?? 200);
        return;
      }
      if (config.exit === 'phase') {
        ctx.skipPhase();
        return;
      }
    },
    content(ctx) {
      const status = config.status ?? 200;
      if (ctx.request.headers.get('accept') === 'application/json') {
        ctx.exit(status, {
          body: `${JSON.stringify({ request: requestLine(ctx) })}\n`,
          headers: { 'Content-Type': 'application/json' },
        });
        return;
      }
      ctx.exit(status, { body: `${requestLine(ctx)}\n`, headers: { 'Content-Type': 'text/plain' } });
    },
  };
  return policy;
};

export default echo;
