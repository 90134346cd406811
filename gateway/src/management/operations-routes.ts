/**
 * The management routes beyond the status probes (gateway.md §6):
 * `/status/info`, `/policies`, and in debug mode `/config` (GET, POST, PUT,
 * DELETE), `/boot`, `/dns/cache`. A pushed configuration goes through the
 * same validate → compile → store path as every other source; one that
 * fails validation gets 400 with the invalid-JSON body shape and changes
 * nothing (spec README "management API"). Accepted pushes and resets are
 * broadcast so every worker serves the same configuration.
 */
import cluster from 'node:cluster';
import type { IncomingMessage } from 'node:http';
import { withoutDeniedPolicies } from '../cloud-hosted/policy-deny-list.js';
import type { ManagementDeps } from './routes.js';
import { sendJson, type ManagementRouter } from './router.js';
import { operationsHooks } from './operations-hooks.js';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export type PushOutcome =
  | { status: 200; body: { status: 'ok'; config: unknown; services: number } }
  | { status: 400; body: { status: 'error'; config: null; error: string } }
  | { status: 406; body: { status: 'not_configured'; config: unknown; services: 0; error?: string } };

/** POST/PUT /config semantics, shared with the broadcast receiver. */
export async function pushConfiguration(
  deps: Pick<ManagementDeps, 'manager' | 'configuration'>,
  text: string,
  origin: string,
): Promise<PushOutcome> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { status: 400, body: { status: 'error', config: null, error: (error as Error).message } };
  }
  if (!isObject(json) || !Array.isArray(json.services)) {
    // Valid JSON without services: nothing to add, but the store counts as configured.
    deps.configuration.store({ services: [], raw: json, timestamp: undefined });
    return { status: 406, body: { status: 'not_configured', config: json, services: 0 } };
  }
  const result = await deps.manager.apply(json, origin);
  if (!result.ok) return { status: 400, body: { status: 'error', config: null, error: result.error.message } };
  if (result.services === 0) return { status: 406, body: { status: 'not_configured', config: json, services: 0 } };
  return { status: 200, body: { status: 'ok', config: json, services: result.services } };
}

export function registerOperationsRoutes(router: ManagementRouter, deps: ManagementDeps): void {
  const debug = ['debug'] as const;

  router.add({
    method: 'GET',
    path: '/status/info',
    modes: ['status', 'debug'],
    handler: (_req, res) => {
      sendJson(res, 200, {
        timers: { pending: 0, running: 0 },
        worker: { exiting: false, count: deps.settings.workers, id: cluster.worker?.id ?? 0 },
      });
    },
  });

  router.add({
    method: 'GET',
    path: '/policies',
    modes: ['status', 'policies', 'debug'],
    handler: async (_req, res) => {
      sendJson(res, 200, { policies: withoutDeniedPolicies(await deps.registry.manifests(), deps.settings.cloudHosted) });
    },
  });

  router.add({
    method: 'GET',
    path: '/config',
    modes: debug,
    handler: (_req, res) => {
      if (!deps.configuration.configured) {
        sendJson(res, 200, null);
        return;
      }
      sendJson(res, 200, { services: deps.configuration.all().map((service) => service.raw) });
    },
  });

  for (const method of ['POST', 'PUT']) {
    router.add({
      method,
      path: '/config',
      modes: debug,
      handler: async (req, res) => {
        const text = await readBody(req);
        const outcome = await pushConfiguration(deps, text, 'management API');
        if (outcome.status !== 400) operationsHooks().broadcast?.('config:push', text);
        sendJson(res, outcome.status, outcome.body);
      },
    });
  }

  router.add({
    method: 'DELETE',
    path: '/config',
    modes: debug,
    handler: (_req, res) => {
      deps.configuration.reset();
      operationsHooks().afterReset?.();
      operationsHooks().broadcast?.('config:delete', null);
      sendJson(res, 200, { status: 'ok', config: null });
    },
  });

  router.add({
    method: 'POST',
    path: '/boot',
    modes: debug,
    handler: async (_req, res) => {
      const boot = operationsHooks().bootLoad;
      if (boot) {
        const result = await boot();
        if (!result.ok) {
          sendJson(res, 500, { status: 'error', config: null, error: result.error });
          return;
        }
        operationsHooks().broadcast?.('boot', null);
        sendJson(res, 200, { status: 'ok', config: result.config });
        return;
      }
      try {
        const config = await deps.reload();
        sendJson(res, 200, { status: 'ok', config });
        return;
      } catch (error) {
        sendJson(res, 500, { status: 'error', config: null, error: (error as Error).message });
        return;
      }
    },
  });

  router.add({
    method: 'GET',
    path: '/dns/cache',
    modes: debug,
    handler: (_req, res) => {
      sendJson(res, 200, deps.outbound.resolver?.snapshot() ?? {});
    },
  });
}
