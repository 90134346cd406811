/**
 * The processes a gateway benchmark round measures: the upstream and the
 * stand-in 3scale backend (on the load CPU), the logic-free peer proxies and
 * the gateway setups (on the proxy CPU). Each is started pinned with taskset
 * and stopped by the caller.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { startProcess, type ManagedProcess } from '../../test/support/process.js';
import { freePort } from '../../test/support/ports.js';
import { APICAST_BIN, REPO_ROOT } from '../../gateway/test-support/gateway-process.js';

export interface Target {
  name: string;
  url: string;
  host?: string;
  process: ManagedProcess;
}

const serverScript = (name: string): string => fileURLToPath(new URL(`./servers/${name}.js`, import.meta.url));

export async function answers(url: string, host?: string): Promise<boolean> {
  try {
    const response = await request(url, { headers: host ? { host } : {} });
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}

function pinned(cpus: string, command: string, args: string[]): { command: string; args: string[] } {
  return { command: 'taskset', args: ['-c', cpus, command, ...args] };
}

export async function startNode(
  name: string,
  script: string,
  cpus: string,
  args: string[],
): Promise<{ process: ManagedProcess; port: number }> {
  const port = await freePort();
  const process_ = await startProcess({
    name: `${name}:${port}`,
    ...pinned(cpus, process.execPath, [serverScript(script), String(port), ...args]),
    ready: () => answers(`http://127.0.0.1:${port}/`),
  });
  return { process: process_, port };
}

/** nginx with one worker and the given `http {}` server blocks (access log off unless the block sets one). */
export async function startNginx(
  dir: string,
  name: string,
  cpus: string,
  server: (port: number) => string,
): Promise<{ process: ManagedProcess; port: number }> {
  const port = await freePort();
  const conf = join(dir, `${name}.conf`);
  const temp = (kind: string): string => `  ${kind}_temp_path ${dir}/${name}-${kind};`;
  await writeFile(
    conf,
    [
      'worker_processes 1;',
      'daemon off;',
      `pid ${dir}/${name}.pid;`,
      `error_log ${dir}/${name}.error.log warn;`,
      'events { worker_connections 4096; }',
      'http {',
      '  access_log off;',
      '  keepalive_requests 1000000;',
      temp('client_body'),
      temp('proxy'),
      temp('fastcgi'),
      temp('uwsgi'),
      temp('scgi'),
      server(port),
      '}',
      '',
    ].join('\n'),
  );
  const process_ = await startProcess({
    name: `nginx-${name}:${port}`,
    ...pinned(cpus, 'nginx', ['-p', dir, '-c', conf]),
    ready: () => answers(`http://127.0.0.1:${port}/`),
  });
  return { process: process_, port };
}

/** The stand-in 3scale backend: authrep/report answer 200 with no body, like an authorized application. */
export function startBackend(dir: string, cpus: string): Promise<{ process: ManagedProcess; port: number }> {
  return startNginx(dir, 'backend', cpus, (port) =>
    [
      `  server { listen 127.0.0.1:${port}; keepalive_timeout 75s;`,
      '    location /transactions { return 200 ""; }',
      '    location / { return 200 ""; } }',
    ].join('\n'),
  );
}

export async function startNginxProxy(dir: string, cpus: string, upstreamPort: number): Promise<Target> {
  const { process: proc, port } = await startNginx(dir, 'proxy', cpus, (listen) =>
    [
      `  upstream api { server 127.0.0.1:${upstreamPort}; keepalive 1024; }`,
      // The same access-log work as the gateway: one line per request into a 64k buffer.
      `  server { listen 127.0.0.1:${listen}; keepalive_timeout 75s; access_log /dev/null combined buffer=64k;`,
      '    location / { proxy_pass http://api; proxy_http_version 1.1; proxy_set_header Connection ""; } }',
    ].join('\n'),
  );
  return { name: 'nginx proxy_pass', url: `http://127.0.0.1:${port}/hello`, process: proc };
}

export async function startPeer(kind: 'fastify-proxy' | 'node-http-proxy', cpus: string, upstreamUrl: string): Promise<Target> {
  const { process: proc, port } = await startNode(kind, kind, cpus, [upstreamUrl]);
  const name = kind === 'fastify-proxy' ? 'fastify + @fastify/http-proxy' : 'node-http-proxy (keep-alive)';
  return { name, url: `http://127.0.0.1:${port}/hello`, process: proc };
}

export interface GatewaySetup {
  name: string;
  /** Number of mapping rules of the service (the first one, `/`, matches every request). */
  rules: number;
  /** Reports batched by 3scale_batcher instead of one authrep per request after the response. */
  batcher: boolean;
  workers: number;
  cpus: string;
}

export const GATEWAY_HOST = 'bench.test';

/** The configuration a setup runs: one service, authorization cached after the first call. */
export function gatewayConfiguration(
  setup: Pick<GatewaySetup, 'rules' | 'batcher'>,
  upstreamUrl: string,
  backendUrl: string,
  generation = 0,
): unknown {
  const rules = Array.from({ length: setup.rules }, (_, i) =>
    i === 0
      ? { http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }
      : { http_method: i % 2 === 0 ? 'GET' : 'POST', pattern: `/resource${i}/{id}/items$`, metric_system_name: 'hits', delta: 1 },
  );
  const chain = setup.batcher
    ? [{ name: '3scale_batcher', configuration: { batch_report_seconds: 1 } }, { name: 'apicast' }]
    : [{ name: 'apicast' }];
  return {
    services: [
      {
        id: 1,
        backend_version: '1',
        backend_authentication_type: 'service_token',
        backend_authentication_value: 'bench',
        proxy: {
          // A second host changes with every reload so that each reload really brings a new configuration.
          hosts: [GATEWAY_HOST, `generation-${generation}.bench.test`],
          api_backend: upstreamUrl,
          backend: { endpoint: backendUrl },
          proxy_rules: rules,
          policy_chain: chain,
        },
      },
    ],
  };
}

export async function startGateway(
  dir: string,
  setup: GatewaySetup,
  upstreamUrl: string,
  backendUrl: string,
  nodeArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<Target & { configFile: string }> {
  const configFile = join(dir, `config-${setup.rules}-${setup.batcher}-${setup.workers}-${setup.name.replace(/\W+/g, '_')}.json`);
  await writeFile(configFile, JSON.stringify(gatewayConfiguration(setup, upstreamUrl, backendUrl)));
  const [port, management] = [await freePort(), await freePort()];
  const proc = await startProcess({
    name: `apicast-bench:${port}`,
    ...pinned(setup.cpus, process.execPath, [...nodeArgs, APICAST_BIN]),
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      THREESCALE_CONFIG_FILE: configFile,
      APICAST_WORKERS: String(setup.workers),
      APICAST_LOG_LEVEL: 'error',
      APICAST_ACCESS_LOG_FILE: '/dev/null',
      APICAST_ACCESS_LOG_BUFFER: '64k',
      APICAST_HTTP_PORT: String(port),
      APICAST_MANAGEMENT_PORT: String(management),
      APICAST_ECHO_PORT: String(await freePort()),
      APICAST_METRICS_PORT: String(await freePort()),
      ...env,
    },
    readyTimeoutMs: 60_000,
    ready: () => answers(`http://127.0.0.1:${management}/status/ready`),
  });
  return { name: setup.name, url: `http://127.0.0.1:${port}/hello?user_key=bench-key`, host: GATEWAY_HOST, process: proc, configFile };
}
