/**
 * The 3scale integration of one gateway: one backend client (its pools) and
 * one authorization cache, shared by every apicast policy instance of the
 * gateway so that a configuration reload keeps the cache. Owned by the
 * gateway's runtime: stop() and drain close the client's pools.
 */
import type { Logger } from 'pino';
import type { Settings } from '../settings.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';
import { AuthCache } from './auth-cache.js';
import { BackendClient } from './client.js';

export interface BackendRuntime {
  client: BackendClient;
  cache: AuthCache;
}

export function backendRuntime(runtime: GatewayRuntime, settings: Settings, log: Logger): BackendRuntime {
  return runtime.own<BackendRuntime>(
    'backend',
    () => ({
      client: new BackendClient(settings, log.child({ component: 'backend' }), runtime.hooks, runtime.outbound, runtime.tracer),
      cache: new AuthCache(),
    }),
    (backend) => backend.client.close(),
  );
}
