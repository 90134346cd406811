/**
 * The boot loader's refresh timer (gateway.md §5.1): every
 * APICAST_CONFIGURATION_CACHE seconds reload the whole configuration and hand
 * it to the sink. A failed load or a configuration that fails validation logs
 * `failed to update configuration` with the reason and keeps serving the
 * previous one. Runs never overlap: a slow portal delays the next tick.
 */
import type { PortalResult } from './remote-v2.js';
import type { ConfigurationSink } from './configuration-sink.js';
import type { LogSink } from './log-sink.js';

export interface RefreshOptions {
  intervalSeconds: number;
  load(): Promise<PortalResult>;
  sink: ConfigurationSink;
  log: LogSink;
}

export interface RefreshHandle {
  stop(): void;
  /** Runs one refresh now (SIGHUP, POST /boot); resolves with what happened. */
  refreshNow(): Promise<{ ok: true; services: number } | { ok: false; error: string }>;
}

export async function refreshOnce(
  options: Omit<RefreshOptions, 'intervalSeconds'>,
): Promise<{ ok: true; services: number } | { ok: false; error: string }> {
  let loaded: PortalResult;
  try {
    loaded = await options.load();
  } catch (error) {
    loaded = { ok: false, error: (error as Error).message };
  }
  if (!loaded.ok) {
    options.log.error(`failed to update configuration: ${loaded.error}`);
    return loaded;
  }
  try {
    const applied = await options.sink.apply(loaded.configuration, loaded.via);
    if (!applied.ok) options.log.error(`failed to update configuration: ${applied.error}`);
    return applied;
  } catch (error) {
    const message = (error as Error).message;
    options.log.error(`failed to update configuration: ${message}`);
    return { ok: false, error: message };
  }
}

/** Starts the timer when the interval is positive (0 and negative: no refresh). */
export function startRefresh(options: RefreshOptions): RefreshHandle {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<{ ok: true; services: number } | { ok: false; error: string }> | undefined;

  const run = () => {
    running ??= refreshOnce(options).finally(() => {
      running = undefined;
    });
    return running;
  };
  const schedule = () => {
    if (stopped || options.intervalSeconds <= 0) return;
    timer = setTimeout(() => {
      void run().finally(schedule);
    }, options.intervalSeconds * 1000);
    timer.unref();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    refreshNow: run,
  };
}
