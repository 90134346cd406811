/**
 * websocket (policies.md §5.37): when the request carries both `Upgrade` and
 * `Sec-WebSocket-Key`, the upstream request keeps `Connection: Upgrade` and
 * the client's `Upgrade` header, so the proxy opens a tunnel (ws:// and
 * wss:// upstream URLs already map to http/https in parseUpstream).
 */
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import type { WebsocketConfig } from './config.generated.js';

/** ctx.shared key the upstream client reads: send `Connection: Upgrade` and tunnel the socket. */
export const UPGRADE_FLAG = 'upstream_connection_upgrade';

const factory: PolicyFactory<WebsocketConfig> = () => {
  return {
    rewrite(ctx: PolicyContext): void {
      const headers = ctx.request.headers;
      if (headers.has('Upgrade') && headers.has('Sec-WebSocket-Key')) {
        ctx.shared[UPGRADE_FLAG] = true;
        headers.set('Connection', 'Upgrade');
      }
    },
  };
};

export default factory;
