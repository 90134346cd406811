/**
 * Boot-to-ready: from spawning `apicast` to the first 200 of
 * `/status/ready`, the median of 5 starts (figures, not a test).
 * Setups: one process, a primary with 2 workers, and one process with a
 * 5 000-service configuration. Polls every 5 ms, so figures carry ±5 ms.
 * `make bench`, or `node dist/bench/gateway-boot/run.js`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { APICAST_BIN, REPO_ROOT } from '../../gateway/test-support/gateway-process.js';
import { freePort } from '../../test/support/ports.js';
import { entryOf } from '../required.js';

const STARTS = Number(process.env.BENCH_BOOT_STARTS ?? 5);
const TIMEOUT_MS = 60_000;

interface BootSetup {
  name: string;
  workers: number;
  services: number;
  goalMs: number;
}

const SETUPS: BootSetup[] = [
  { name: 'one process, 1 service', workers: 1, services: 1, goalMs: 300 },
  { name: 'primary + 2 workers, 1 service', workers: 2, services: 1, goalMs: 500 },
  { name: 'one process, 5 000 services', workers: 1, services: 5000, goalMs: 1000 },
];

export function configuration(services: number): unknown {
  return {
    services: Array.from({ length: services }, (_, i) => ({
      id: i + 1,
      backend_version: '1',
      backend_authentication_type: 'service_token',
      backend_authentication_value: `token-${i}`,
      proxy: {
        hosts: [`service-${i + 1}.boot.test`],
        api_backend: 'http://127.0.0.1:9/',
        backend: { endpoint: 'http://127.0.0.1:9' },
        proxy_rules: [
          { http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 },
          { http_method: 'POST', pattern: `/orders/{id}/items$`, metric_system_name: 'hits', delta: 1 },
        ],
        policy_chain: [{ name: 'apicast', version: 'builtin', configuration: {} }],
      },
    })),
  };
}

async function ready(url: string): Promise<boolean> {
  try {
    const response = await request(url);
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}

/** Milliseconds from spawn to ready; the process is killed afterwards. */
async function bootOnce(setup: BootSetup, configFile: string): Promise<number> {
  const management = await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    THREESCALE_CONFIG_FILE: configFile,
    APICAST_WORKERS: String(setup.workers),
    APICAST_LOG_LEVEL: 'error',
    APICAST_HTTP_PORT: String(await freePort()),
    APICAST_MANAGEMENT_PORT: String(management),
    APICAST_ECHO_PORT: String(await freePort()),
    APICAST_METRICS_PORT: String(await freePort()),
  };
  const started = performance.now();
  const child = spawn(process.execPath, [APICAST_BIN], { cwd: REPO_ROOT, env, stdio: 'ignore' });
  try {
    while (!(await ready(`http://127.0.0.1:${management}/status/ready`))) {
      if (child.exitCode !== null) throw new Error(`${setup.name}: the gateway exited with ${child.exitCode} before it was ready`);
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`${setup.name}: not ready after ${TIMEOUT_MS} ms`);
      await sleep(5);
    }
    return performance.now() - started;
  } finally {
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-boot-'));
  const files = new Map<number, string>();
  for (const services of new Set(SETUPS.map((s) => s.services))) {
    const file = join(dir, `config-${services}.json`);
    await writeFile(file, JSON.stringify(configuration(services)));
    files.set(services, file);
  }
  // Interleaved: start i of every setup, then start i + 1, so background load hits them alike.
  const times = new Map<string, number[]>(SETUPS.map((s) => [s.name, []]));
  for (let i = 0; i < STARTS; i++) {
    for (const setup of SETUPS) entryOf(times, setup.name).push(await bootOnce(setup, entryOf(files, setup.services)));
  }
  console.log(`boot to /status/ready, median of ${STARTS} interleaved starts; load average at the end ${loadavg()[0].toFixed(2)}`);
  for (const setup of SETUPS) {
    const measured = entryOf(times, setup.name);
    console.log(
      `  ${setup.name.padEnd(34)} ${median(measured).toFixed(0).padStart(5)} ms (goal ≤ ${setup.goalMs} ms; all: ${measured.map((t) => t.toFixed(0)).join(', ')})`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run();
  process.exit(0);
}
