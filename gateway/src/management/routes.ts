/**
 * Every management route file, registered at boot. Add a line here for a new
 * route file; each registrar receives the gateway handle's parts it needs.
 */
import type { ManagementRouter } from './router.js';
import type { ConfigurationStore } from '../config/store.js';
import type { ConfigurationManager } from '../config/manager.js';
import type { PolicyRegistry } from '../chain/registry.js';
import type { Settings } from '../settings.js';
import type { Logger } from 'pino';
import type { Outbound } from '../net/outbound.js';
import { registerStatusRoutes } from './status-routes.js';
import { registerOperationsRoutes } from './operations-routes.js';

export interface ManagementDeps {
  settings: Settings;
  log: Logger;
  configuration: ConfigurationStore;
  manager: ConfigurationManager;
  registry: PolicyRegistry;
  /** The gateway's resolver and proxies (GET /dns/cache). */
  outbound: Outbound;
  /** Runs a full load now (POST /boot, SIGHUP); resolves with the decoded configuration or null. */
  reload: () => Promise<unknown>;
}

export type RouteRegistrar = (router: ManagementRouter, deps: ManagementDeps) => void;

export const ROUTE_REGISTRARS: RouteRegistrar[] = [registerStatusRoutes, registerOperationsRoutes];
