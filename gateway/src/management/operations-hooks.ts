/**
 * How the operations side (portal loading, workers) plugs into the
 * management routes without the routes knowing about it: the worker
 * start-up sets these once per process. Unset ⇒ the routes use the gateway
 * core's own reload (local file) and nothing else happens.
 */
export type BootResult = { ok: true; config: unknown } | { ok: false; error: string };

export interface OperationsHooks {
  /** POST /boot: a full load from the configured source (file or portal), stored. */
  bootLoad?: () => Promise<BootResult>;
  /** After DELETE /config (e.g. the lazy loader forgets which hosts are fresh). */
  afterReset?: () => void;
  /** Tells the other workers about a change this one accepted. */
  broadcast?: (topic: 'config:push' | 'config:delete' | 'boot', payload: unknown) => void;
}

let current: OperationsHooks = {};

export function setOperationsHooks(hooks: OperationsHooks): void {
  current = hooks;
}
export function operationsHooks(): OperationsHooks {
  return current;
}
