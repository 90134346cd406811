/**
 * Per-worker singletons of the 3scale integration: one backend client (its
 * pools) and one authorization cache, shared by every apicast policy
 * instance of the worker so that a configuration reload keeps the cache.
 */
import type { Logger } from 'pino';
import type { Settings } from '../settings.js';
import { AuthCache } from './auth-cache.js';
import { BackendClient } from './client.js';

export interface BackendRuntime {
  client: BackendClient;
  cache: AuthCache;
}

let runtime: BackendRuntime | undefined;

export function backendRuntime(settings: Settings, log: Logger): BackendRuntime {
  runtime ??= { client: new BackendClient(settings, log.child({ component: 'backend' })), cache: new AuthCache() };
  return runtime;
}

export async function closeBackendRuntime(): Promise<void> {
  await runtime?.client.close();
  runtime = undefined;
}
