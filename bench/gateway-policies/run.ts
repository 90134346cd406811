/**
 * Cost of policies per request (figures, not a test): one gateway (1 worker,
 * CPU 0) with one service per chain, an nginx upstream that also stands in
 * for the 3scale backend, Redis and wrk on CPU 1. Each chain is measured at
 * saturation (requests/s, p50, p99) against the plain apicast chain, so the
 * cost of each policy and of a common five-policy chain is visible. Bounded:
 * BENCH_SECONDS (default 5) per run, loopback only.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startProcess, type ManagedProcess } from '../../test/support/process.js';
import { freePort } from '../../test/support/ports.js';
import { startRedis, type RedisServer } from '../../test/support/redis.js';
import { APICAST_BIN, REPO_ROOT } from '../../gateway/test-support/gateway-process.js';
import { wrk, type WrkResult } from '../gateway/wrk.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PROXY_CPU = '0';
const LOAD_CPU = '1';

type ChainEntry = { name: string; configuration?: Record<string, unknown> };

const headers: ChainEntry = {
  name: 'headers',
  configuration: {
    request: [{ op: 'set', header: 'X-Bench', value: '{{ service.id }}', value_type: 'liquid' }],
    response: [{ op: 'set', header: 'X-Served-By', value: 'gateway' }],
  },
};
const urlRewriting: ChainEntry = {
  name: 'url_rewriting',
  configuration: { commands: [{ op: 'sub', regex: '^/hello', replace: '/hello' }] },
};
const cors: ChainEntry = { name: 'cors', configuration: { allow_origin: '*' } };
/** Limits far above what the run can reach: the cost of checking, not of rejecting. */
const rateLimit = (redisUrl?: string): ChainEntry => ({
  name: 'rate_limit',
  configuration: {
    fixed_window_limiters: [{ key: { name: '{{ remote_addr }}', name_type: 'liquid' }, count: 1_000_000_000, window: 60 }],
    ...(redisUrl ? { redis_url: redisUrl } : {}),
  },
});
const apicast: ChainEntry = { name: 'apicast' };

async function answers(url: string, host?: string): Promise<boolean> {
  try {
    const response = await request(url, { headers: host ? { host } : {} });
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}

async function startUpstream(dir: string, port: number): Promise<ManagedProcess> {
  const conf = join(dir, 'upstream.conf');
  await writeFile(
    conf,
    [
      'worker_processes 1;',
      'daemon off;',
      `pid ${dir}/upstream.pid;`,
      `error_log ${dir}/upstream.error.log warn;`,
      'events { worker_connections 4096; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${dir}/body;`,
      `  proxy_temp_path ${dir}/proxy;`,
      `  fastcgi_temp_path ${dir}/fcgi;`,
      `  uwsgi_temp_path ${dir}/uwsgi;`,
      `  scgi_temp_path ${dir}/scgi;`,
      '  keepalive_requests 1000000;',
      `  server { listen 127.0.0.1:${port}; keepalive_timeout 75s;`,
      '    location /transactions/ { return 200 ""; }',
      "    location / { default_type text/plain; return 200 'hello from upstream\\n'; } }",
      '}',
      '',
    ].join('\n'),
  );
  return startProcess({
    name: `nginx-upstream:${port}`,
    command: 'taskset',
    args: ['-c', LOAD_CPU, 'nginx', '-p', dir, '-c', conf],
    ready: () => answers(`http://127.0.0.1:${port}/`),
  });
}

const fmt = (r: WrkResult): string =>
  `${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms${r.errors ? `  (${r.errors} errors!)` : ''}`;

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-policies-'));
  const upstreamPort = await freePort();
  const processes: ManagedProcess[] = [];
  let redis: RedisServer | undefined;
  try {
    processes.push(await startUpstream(dir, upstreamPort));
    redis = await startRedis();
    const chains: [string, ChainEntry[]][] = [
      ['apicast only', [apicast]],
      ['headers + apicast', [headers, apicast]],
      ['url_rewriting + apicast', [urlRewriting, apicast]],
      ['cors + apicast', [cors, apicast]],
      ['rate_limit (memory) + apicast', [rateLimit(), apicast]],
      ['five: headers, url_rewriting, cors, rate_limit (memory), apicast', [headers, urlRewriting, cors, rateLimit(), apicast]],
      ['rate_limit (Redis) + apicast', [rateLimit(redis.url), apicast]],
    ];
    const configFile = join(dir, 'config.json');
    await writeFile(
      configFile,
      JSON.stringify({
        services: chains.map(([, chain], i) => ({
          id: i + 1,
          backend_version: '1',
          backend_authentication_type: 'service_token',
          backend_authentication_value: 'bench',
          proxy: {
            hosts: [`chain${i}.bench`],
            api_backend: `http://127.0.0.1:${upstreamPort}`,
            backend: { endpoint: `http://127.0.0.1:${upstreamPort}` },
            proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
            policy_chain: chain,
          },
        })),
      }),
    );
    const gatewayPort = await freePort();
    const managementPort = await freePort();
    processes.push(
      await startProcess({
        name: 'apicast-bench-policies',
        command: 'taskset',
        args: ['-c', PROXY_CPU, process.execPath, APICAST_BIN],
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          THREESCALE_CONFIG_FILE: configFile,
          APICAST_WORKERS: '1',
          APICAST_LOG_LEVEL: 'error',
          APICAST_ACCESS_LOG_FILE: '/dev/null',
          APICAST_HTTP_PORT: String(gatewayPort),
          APICAST_MANAGEMENT_PORT: String(managementPort),
          APICAST_ECHO_PORT: String(await freePort()),
          APICAST_METRICS_PORT: String(await freePort()),
        },
        ready: () => answers(`http://127.0.0.1:${managementPort}/status/ready`),
      }),
    );
    const url = `http://127.0.0.1:${gatewayPort}/hello?user_key=bench-key`;
    // Warm-up (JIT, connection pools) of every chain, not counted.
    for (const [i, [label]] of chains.entries()) {
      const host = `chain${i}.bench`;
      if (!(await answers(url, host))) throw new Error(`chain "${label}" does not answer 200`);
      await wrk({ url, host, connections: CONNECTIONS, seconds: 2, cpus: LOAD_CPU, scriptDir: dir });
    }
    const results: [string, WrkResult][] = [];
    for (const [i, [label]] of chains.entries()) {
      results.push([
        label,
        await wrk({ url, host: `chain${i}.bench`, connections: CONNECTIONS, seconds: SECONDS, cpus: LOAD_CPU, scriptDir: dir }),
      ]);
    }
    // The baseline again at the end: the spread between both shows the noise of the shared machine.
    results.push([
      'apicast only (again, noise check)',
      await wrk({ url, host: 'chain0.bench', connections: CONNECTIONS, seconds: SECONDS, cpus: LOAD_CPU, scriptDir: dir }),
    ]);
    const base = results[0][1];
    console.log(
      `wrk: ${CONNECTIONS} connections, ${SECONDS} s per chain; gateway (1 worker) on CPU ${PROXY_CPU}; upstream/backend nginx, Redis and wrk on CPU ${LOAD_CPU}`,
    );
    for (const [label, r] of results) {
      const cost = (1e6 / r.rps - 1e6 / base.rps).toFixed(1);
      console.log(`  ${label.padEnd(66)} ${fmt(r)}  (${r === base ? 'baseline' : `+${cost} µs CPU per request vs apicast only`})`);
    }
  } finally {
    for (const p of processes.reverse()) await p.stop();
    await redis?.stop();
  }
}
