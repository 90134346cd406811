/** `/status/live` and `/status/ready` (gateway.md §6; readiness per the spec README). */
import type { ConfigurationView } from '../config/store.js';
import { sendJson, type ManagementRouter } from './router.js';

export interface StatusDeps {
  configuration: ConfigurationView;
}

export function registerStatusRoutes(router: ManagementRouter, deps: StatusDeps): void {
  const modes = ['status', 'debug'] as const;
  router.add({
    method: 'GET',
    path: '/status/live',
    modes,
    handler: (_req, res) => {
      sendJson(res, 200, { status: 'live', success: true });
    },
  });
  router.add({
    method: 'GET',
    path: '/status/ready',
    modes,
    handler: (_req, res) => {
      if (!deps.configuration.configured) {
        sendJson(res, 412, { status: 'error', error: 'not configured', success: false });
        return;
      }
      if (deps.configuration.all().length === 0) {
        sendJson(res, 200, { status: 'warning', warning: 'no services', success: true });
        return;
      }
      sendJson(res, 200, { status: 'ready', success: true });
    },
  });
}
