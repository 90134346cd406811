/**
 * The gateway under test, as users run it: `node bin/apicast.js` in a child
 * process with a configuration file and environment, on free loopback ports.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request as undiciRequest } from 'undici';
import { startProcess, type ManagedProcess } from '../../test/support/process.js';
import { freePort } from '../../test/support/ports.js';

/** Repository root (this file runs from dist/gateway/test-support/). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
export const APICAST_BIN = join(REPO_ROOT, 'bin', 'apicast.js');

export interface GatewayUnderTest {
  process: ManagedProcess;
  port: number;
  managementPort: number;
  echoPort: number;
  url: string;
  configFile: string;
  /** Rewrites the configuration file (then signal SIGHUP to reload). */
  writeConfig(config: unknown): Promise<void>;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** Written to a temp file passed as THREESCALE_CONFIG_FILE (a string is written verbatim). */
  config?: unknown;
  env?: Record<string, string>;
  /** Wait for /status/ready 200 (default) or only for /status/live. */
  waitFor?: 'ready' | 'live';
}

async function statusOf(url: string): Promise<number> {
  const response = await undiciRequest(url);
  await response.body.dump();
  return response.statusCode;
}

export async function writeConfigFile(config: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'apicast-config-'));
  const file = join(dir, 'config.json');
  await writeFile(file, typeof config === 'string' ? config : JSON.stringify(config));
  return file;
}

/** Environment for a gateway on free ports, without anything inherited that could change its behaviour. */
export async function gatewayEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    APICAST_HTTP_PORT: String(await freePort()),
    APICAST_MANAGEMENT_PORT: String(await freePort()),
    APICAST_ECHO_PORT: String(await freePort()),
    APICAST_METRICS_PORT: String(await freePort()),
    APICAST_WORKERS: '1',
    APICAST_LOG_LEVEL: 'info',
    ...extra,
  };
}

export async function startGatewayProcess(options: GatewayOptions): Promise<GatewayUnderTest> {
  const configFile = await writeConfigFile(options.config ?? { services: [] });
  const env = await gatewayEnv({ THREESCALE_CONFIG_FILE: configFile, ...options.env });
  const port = Number(env.APICAST_HTTP_PORT);
  const managementPort = Number(env.APICAST_MANAGEMENT_PORT);
  const statusPath = options.waitFor === 'live' ? '/status/live' : '/status/ready';
  const proc = await startProcess({
    name: `apicast:${port}`,
    command: process.execPath,
    args: [APICAST_BIN],
    env,
    cwd: REPO_ROOT,
    ready: async () => (await statusOf(`http://127.0.0.1:${managementPort}${statusPath}`)) === 200,
    readyTimeoutMs: 20_000,
  });
  return {
    process: proc,
    port,
    managementPort,
    echoPort: Number(env.APICAST_ECHO_PORT),
    url: `http://127.0.0.1:${port}`,
    configFile,
    async writeConfig(config) {
      await writeFile(configFile, typeof config === 'string' ? config : JSON.stringify(config));
    },
    stop: () => proc.stop(),
  };
}
