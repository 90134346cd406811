/**
 * Gateway operations figures (issue 5):
 *  1. configuration for 5 000 services: download from a (fake, loopback)
 *     portal through the real v2 protocol, then validate + compile + store
 *     through the real ConfigurationManager;
 *  2. requests failed during 10 SIGHUP reloads of a 2-worker gateway under
 *     load (goal: 0);
 *  3. a cold lazy host behind a portal with 5 000 services: time of the first
 *     request through a gateway process and the portal requests it cost, with
 *     the account endpoint (`/admin/api/account/proxy_configs?host=`) and with
 *     an older portal that lacks it (the per-service fallback).
 * `run()` prints the figures; `node dist/bench/gateway-ops/run.js [download|lazy]` runs them (or only 1 / 3) alone.
 */
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';
import { PolicyRegistry } from '../../gateway/src/chain/registry.js';
import { ConfigurationManager } from '../../gateway/src/config/manager.js';
import { createServiceFilter } from '../../gateway/src/config/filter.js';
import { InMemoryConfigurationStore } from '../../gateway/src/config/store.js';
import { silentLogger } from '../../gateway/src/logging/logger.js';
import { parsePortalEndpoint } from '../../gateway/src/portal/endpoint.js';
import { silentLog } from '../../gateway/src/portal/log-sink.js';
import { loadFromPortal } from '../../gateway/src/portal/portal-loader.js';
import { parseSettings } from '../../gateway/src/settings.js';
import { noopHooks } from '../../gateway/src/telemetry/hooks.js';
import { GatewayRuntime } from '../../gateway/src/runtime/gateway-runtime.js';
import { startFakePortal } from '../../gateway/test-support/fake-portal.js';
import { startOpsGateway } from '../../gateway/test-support/ops-gateway.js';
import { TestUpstream } from '../../gateway/test-support/upstream.js';

const SERVICES = 5000;

function service(id: number, upstream: string): Record<string, unknown> & { id: number } {
  return {
    id,
    system_name: `service_${id}`,
    backend_version: '1',
    backend_authentication_type: 'service_token',
    backend_authentication_value: `token-${id}`,
    proxy: {
      hosts: [`api-${id}.example.com`],
      api_backend: upstream,
      proxy_rules: [
        { http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 },
        { http_method: 'POST', pattern: '/orders/{id}/items$', metric_system_name: 'orders', delta: 1 },
        { http_method: 'GET', pattern: '/search?q={query}', metric_system_name: 'search', delta: 2 },
      ],
      policy_chain: [
        { name: 'headers', configuration: { request: [{ op: 'set', header: 'X-Service', value: String(id) }] } },
        { name: 'apicast' },
      ],
    },
  };
}

async function configurationFigures(): Promise<void> {
  const portal = await startFakePortal();
  for (let id = 1; id <= SERVICES; id++) portal.publish(service(id, 'http://127.0.0.1:9'));
  const load = () =>
    loadFromPortal({
      endpoint: parsePortalEndpoint(new URL(portal.endpoint())),
      environment: 'production',
      servicesList: undefined,
      serviceVersions: new Map(),
      loadServicesWhenNeeded: false,
      loader: 'boot',
      http: { userAgent: 'bench', timeoutMs: 30_000 },
      log: silentLog,
      legacyTimeoutSeconds: 0,
      concurrency: 8,
    });
  try {
    const started = performance.now();
    const loaded = await load();
    const downloadMs = performance.now() - started;
    if (!loaded.ok) throw new Error(`portal load failed: ${loaded.error}`);
    const accountRequests = portal.requests.length;

    portal.requests.length = 0;
    portal.accountProxyConfigs = false;
    const fallbackStarted = performance.now();
    const fallback = await load();
    const fallbackMs = performance.now() - fallbackStarted;
    if (!fallback.ok) throw new Error(`per-service load failed: ${fallback.error}`);

    const settings = parseSettings({ APICAST_WORKERS: '1' });
    const log = silentLogger();
    const registry = await PolicyRegistry.load({ log, loadPath: [] });
    const store = new InMemoryConfigurationStore({ pathRouting: false });
    const manager = new ConfigurationManager(store, {
      settings,
      registry,
      log,
      hooks: noopHooks,
      runtime: new GatewayRuntime(),
      filter: createServiceFilter(undefined, undefined),
    });
    const compileStarted = performance.now();
    const applied = await manager.apply(loaded.configuration, 'bench');
    const compileMs = performance.now() - compileStarted;
    if (!applied.ok) throw new Error(`compile failed: ${applied.error.message}`);
    console.log(
      `portal download of ${SERVICES} services (account endpoint, pages of 500): ${downloadMs.toFixed(0)} ms (${accountRequests} requests)`,
    );
    console.log(
      `portal download of ${SERVICES} services (older portal: index + one proxy config per service, 8 in parallel): ${fallbackMs.toFixed(0)} ms (${portal.requests.length} requests)`,
    );
    console.log(
      `validate + compile + store ${applied.services} services (3 rules, 2 policies each): ${compileMs.toFixed(0)} ms (${((compileMs / SERVICES) * 1000).toFixed(0)} µs/service)`,
    );
  } finally {
    await portal.stop();
  }
}

/** First request for a host the lazy gateway has never seen, behind a portal of SERVICES services. */
async function lazyColdHostFigures(): Promise<void> {
  const upstream = await TestUpstream.start();
  upstream.handler = (_req, res) => {
    res.writeHead(200);
    res.end('ok');
  };
  const portal = await startFakePortal();
  for (let id = 1; id <= SERVICES; id++) portal.publish(service(id, upstream.url), 'staging');
  try {
    for (const account of [true, false]) {
      portal.accountProxyConfigs = account;
      portal.requests.length = 0;
      const gateway = await startOpsGateway({
        env: {
          THREESCALE_PORTAL_ENDPOINT: portal.endpoint(),
          THREESCALE_DEPLOYMENT_ENV: 'staging',
          APICAST_CONFIGURATION_CACHE: '60',
          APICAST_LOG_LEVEL: 'warn',
          APICAST_ACCESS_LOG_FILE: '/dev/null',
        },
      });
      try {
        const timed = async (host: string) => {
          const started = performance.now();
          const response = await request(`${gateway.url}/?user_key=k`, { headers: { host } });
          await response.body.dump();
          return { ms: performance.now() - started, status: response.statusCode };
        };
        const cold = await timed('api-4321.example.com');
        const portalRequests = portal.requests.length;
        const warm = await timed('api-4321.example.com');
        const warmRequests = portal.requests.length - portalRequests;
        // A second cold host once the process has served a request: the fetch alone, without first-request warm-up.
        const second = await timed('api-17.example.com');
        const secondRequests = portal.requests.length - portalRequests - warmRequests;
        const what = account ? 'account endpoint ?host=' : 'older portal, per-service fallback';
        const plural = (n: number) => `${n} portal request${n === 1 ? '' : 's'}`;
        console.log(
          `lazy cold host behind ${SERVICES} services (${what}): first request ${cold.ms.toFixed(0)} ms (status ${cold.status}), ${plural(portalRequests)}; same host again ${warm.ms.toFixed(1)} ms, ${plural(warmRequests)}; another cold host ${second.ms.toFixed(0)} ms (status ${second.status}), ${plural(secondRequests)}`,
        );
      } finally {
        await gateway.stop();
      }
    }
  } finally {
    await portal.stop();
    await upstream.stop();
  }
}

async function reloadFigures(): Promise<void> {
  const upstream = await TestUpstream.start();
  upstream.handler = (_req, res) => {
    res.writeHead(200);
    res.end('ok');
  };
  const config = (n: number) => ({
    services: Array.from({ length: 50 }, (_, i) => ({
      ...service(i + 1, upstream.url),
      proxy: { ...(service(i + 1, upstream.url).proxy as object), hosts: [`api-${i + 1}.example.com`, `v${n}.example.com`] },
    })),
  });
  const gateway = await startOpsGateway({
    config: config(0),
    env: { APICAST_WORKERS: '2', APICAST_LOG_LEVEL: 'warn', APICAST_ACCESS_LOG_FILE: '/dev/null' },
  });
  const agent = new Agent({ connections: 16 });
  let stop = false;
  let ok = 0;
  const failures = new Map<string, number>();
  const loop = async () => {
    while (!stop) {
      try {
        const response = await request(`${gateway.url}/?user_key=k`, { headers: { host: 'api-7.example.com' }, dispatcher: agent });
        await response.body.dump();
        if (response.statusCode === 200) ok++;
        else failures.set(`status ${response.statusCode}`, (failures.get(`status ${response.statusCode}`) ?? 0) + 1);
      } catch (error) {
        const key = (error as Error).message;
        failures.set(key, (failures.get(key) ?? 0) + 1);
      }
    }
  };
  try {
    const started = performance.now();
    const loops = Array.from({ length: 16 }, loop);
    for (let i = 1; i <= 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writeFile(gateway.env.THREESCALE_CONFIG_FILE, JSON.stringify(config(i)));
      gateway.process.signal('SIGHUP');
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    stop = true;
    await Promise.all(loops);
    const seconds = (performance.now() - started) / 1000;
    const failed = [...failures.values()].reduce((a, b) => a + b, 0);
    console.log(
      `10 SIGHUP reloads (50 services each) under load, 2 workers, 16 connections: ${ok + failed} requests in ${seconds.toFixed(1)} s (${((ok + failed) / seconds).toFixed(0)} req/s), failed: ${failed}${failed ? ` ${JSON.stringify(Object.fromEntries(failures))}` : ''}`,
    );
  } finally {
    await agent.close();
    await gateway.stop();
    await upstream.stop();
  }
}

export async function run(): Promise<void> {
  await configurationFigures();
  await reloadFigures();
  await lazyColdHostFigures();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv[2] === 'lazy') await lazyColdHostFigures();
  else if (process.argv[2] === 'download') await configurationFigures();
  else await run();
  process.exit(0);
}
