/**
 * Starts the real gateway (`node bin/apicast.js`) for the operations tests
 * with exactly the environment given (portal endpoint, workers, management
 * mode…), on free loopback ports, and waits for the management probe asked
 * for. Unlike gateway-process.ts it writes no configuration file unless one
 * is passed, so portal-only set-ups can be tested.
 */
import { request } from 'undici';
import { startProcess, type ManagedProcess } from '../../test/support/process.js';
import { APICAST_BIN, REPO_ROOT, gatewayEnv, writeConfigFile } from './gateway-process.js';

export interface OpsGateway {
  process: ManagedProcess;
  env: Record<string, string>;
  port: number;
  managementPort: number;
  metricsPort: number;
  url: string;
  management: string;
  metrics: string;
  stop(): Promise<void>;
}

export interface OpsGatewayOptions {
  env?: Record<string, string>;
  /** Written to a file passed as THREESCALE_CONFIG_FILE. */
  config?: unknown;
  /** `ready` (default): /status/ready 200; `live`: /status/live 200; `none`: do not wait (the process may exit). */
  waitFor?: 'ready' | 'live' | 'none';
  readyTimeoutMs?: number;
}

async function statusOf(url: string): Promise<number> {
  const response = await request(url);
  await response.body.dump();
  return response.statusCode;
}

export async function startOpsGateway(options: OpsGatewayOptions = {}): Promise<OpsGateway> {
  const extra: Record<string, string> = { ...options.env };
  if (options.config !== undefined) extra.THREESCALE_CONFIG_FILE = await writeConfigFile(options.config);
  const env = await gatewayEnv(extra);
  const port = Number(env.APICAST_HTTP_PORT);
  const managementPort = Number(env.APICAST_MANAGEMENT_PORT);
  const metricsPort = Number(env.APICAST_METRICS_PORT);
  const waitFor = options.waitFor ?? 'ready';
  const proc = await startProcess({
    name: `apicast-ops:${port}`,
    command: process.execPath,
    args: [APICAST_BIN],
    env,
    cwd: REPO_ROOT,
    ready:
      waitFor === 'none'
        ? () => Promise.resolve(true)
        : async () => (await statusOf(`http://127.0.0.1:${managementPort}/status/${waitFor}`)) === 200,
    readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
  });
  return {
    process: proc,
    env,
    port,
    managementPort,
    metricsPort,
    url: `http://127.0.0.1:${port}`,
    management: `http://127.0.0.1:${managementPort}`,
    metrics: `http://127.0.0.1:${metricsPort}`,
    stop: () => proc.stop(),
  };
}

/** Polls `check` until it returns true or the time is up (configuration refreshes are timer-driven). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
