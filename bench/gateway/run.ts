/**
 * Gateway throughput and latency against nginx (figures, not a test).
 *
 * Layout on the 2 cores: the proxy under test (gateway with 1 worker, or
 * nginx with 1 worker) pinned to CPU 0; the upstream (an nginx answering a
 * fixed body, also standing in for the 3scale backend's authrep) and wrk
 * pinned to CPU 1. Each proxy is measured at saturation (requests/s, p50,
 * p99) and at half of its own saturation rate (added latency), and the
 * upstream is measured directly. Then mapping-rule matching per request for
 * 1, 100 and 10 000 rules.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startProcess, type ManagedProcess } from '../../test/support/process.js';
import { freePort } from '../../test/support/ports.js';
import { APICAST_BIN, REPO_ROOT } from '../../gateway/test-support/gateway-process.js';
import { wrk, type WrkResult } from './wrk.js';
import { measureMapping } from './mapping.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PROXY_CPU = '0';
const LOAD_CPU = '1';

async function answers(url: string, host?: string): Promise<boolean> {
  try {
    const response = await request(url, { headers: host ? { host } : {} });
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}

async function startNginx(dir: string, name: string, cpu: string, port: number, server: string): Promise<ManagedProcess> {
  const conf = join(dir, `${name}.conf`);
  await writeFile(conf, [
    'worker_processes 1;', 'daemon off;', `pid ${dir}/${name}.pid;`, `error_log ${dir}/${name}.error.log warn;`,
    'events { worker_connections 4096; }',
    'http {', '  access_log off;', `  client_body_temp_path ${dir}/${name}-body;`, `  proxy_temp_path ${dir}/${name}-proxy;`,
    `  fastcgi_temp_path ${dir}/${name}-fcgi;`, `  uwsgi_temp_path ${dir}/${name}-uwsgi;`, `  scgi_temp_path ${dir}/${name}-scgi;`,
    '  keepalive_requests 1000000;',
    server, '}', '',
  ].join('\n'));
  return startProcess({
    name: `nginx-${name}:${port}`, command: 'taskset', args: ['-c', cpu, 'nginx', '-p', dir, '-c', conf],
    ready: () => answers(`http://127.0.0.1:${port}/`),
  });
}

interface Measured { saturated: WrkResult; half: WrkResult; cpuMicrosPerRequest: number | undefined }

/** CPU seconds (user + system) used so far by a process and its direct children (nginx workers). */
async function cpuSeconds(pid: number): Promise<number> {
  const ticks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  const one = async (p: number): Promise<number> => {
    const fields = (await readFile(`/proc/${p}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticks;
  };
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean).map(Number);
  let total = await one(pid);
  for (const child of children) total += await one(child).catch(() => 0);
  return total;
}

async function measure(url: string, host: string | undefined, dir: string, pid?: number): Promise<Measured> {
  await wrk({ url, host, connections: CONNECTIONS, seconds: 2, cpus: LOAD_CPU, scriptDir: dir }); // warm-up (JIT, pools, auth cache)
  const cpuBefore = pid ? await cpuSeconds(pid) : 0;
  const saturated = await wrk({ url, host, connections: CONNECTIONS, seconds: SECONDS, cpus: LOAD_CPU, scriptDir: dir });
  // CPU per request does not depend on what else runs on the machine, unlike requests/s.
  const cpuMicrosPerRequest = pid ? ((await cpuSeconds(pid)) - cpuBefore) * 1e6 / (saturated.rps * SECONDS) : undefined;
  // Half of this target's own saturation rate: 10 connections, each pausing between requests.
  const halfConnections = 10;
  // Each connection then sends one request per delay period (plus its latency): at most half the rate.
  const delayMs = (halfConnections * 1000) / (saturated.rps / 2);
  const half = await wrk({ url, host, connections: halfConnections, seconds: SECONDS, cpus: LOAD_CPU, delayMs, scriptDir: dir });
  return { saturated, half, cpuMicrosPerRequest };
}

const fmt = (r: WrkResult): string => `${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms${r.errors ? `  (${r.errors} errors!)` : ''}`;

/** The run whose saturated throughput is the median: one noisy round on a shared machine does not decide. */
function median(runs: Measured[]): Measured {
  return [...runs].sort((a, b) => a.saturated.rps - b.saturated.rps)[Math.floor(runs.length / 2)]!;
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-gateway-'));
  const upstreamPort = await freePort();
  const nginxPort = await freePort();
  const processes: ManagedProcess[] = [];
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  try {
    // Upstream API and stand-in 3scale backend (authrep answers 200 like an authorized application).
    processes.push(await startNginx(dir, 'upstream', LOAD_CPU, upstreamPort, [
      `  server { listen 127.0.0.1:${upstreamPort}; keepalive_timeout 75s;`,
      '    location /transactions/ { return 200 ""; }',
      "    location / { default_type text/plain; return 200 'hello from upstream\\n'; } }",
    ].join('\n')));
    const nginxProxy = await startNginx(dir, 'proxy', PROXY_CPU, nginxPort, [
      `  upstream api { server 127.0.0.1:${upstreamPort}; keepalive 1024; }`,
      // Same access-log work as the gateway: a line per request into a 64k buffer.
      `  server { listen 127.0.0.1:${nginxPort}; keepalive_timeout 75s; access_log /dev/null combined buffer=64k;`,
      '    location / { proxy_pass http://api; proxy_http_version 1.1; proxy_set_header Connection ""; } }',
    ].join('\n'));
    processes.push(nginxProxy);

    const configFile = join(dir, 'config.json');
    await writeFile(configFile, JSON.stringify({
      services: [{
        id: 1, backend_version: '1', backend_authentication_type: 'service_token', backend_authentication_value: 'bench',
        proxy: {
          hosts: ['bench.test'], api_backend: `http://127.0.0.1:${upstreamPort}`,
          backend: { endpoint: `http://127.0.0.1:${upstreamPort}` },
          proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
        },
      }],
    }));
    const gatewayPort = await freePort();
    const managementPort = await freePort();
    const gateway = await startProcess({
      name: 'apicast-bench', command: 'taskset', args: ['-c', PROXY_CPU, process.execPath, APICAST_BIN], cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '', THREESCALE_CONFIG_FILE: configFile, APICAST_WORKERS: '1', APICAST_LOG_LEVEL: 'error',
        APICAST_ACCESS_LOG_FILE: '/dev/null', APICAST_ACCESS_LOG_BUFFER: '64k',
        APICAST_HTTP_PORT: String(gatewayPort), APICAST_MANAGEMENT_PORT: String(managementPort),
        APICAST_ECHO_PORT: String(await freePort()), APICAST_METRICS_PORT: String(await freePort()),
      },
      ready: () => answers(`http://127.0.0.1:${managementPort}/status/ready`),
    });
    processes.push(gateway);

    // Rounds interleave the three targets so that background load hits them alike.
    const runs = { direct: [] as Measured[], nginx: [] as Measured[], gateway: [] as Measured[] };
    for (let round = 0; round < rounds; round++) {
      runs.direct.push(await measure(`http://127.0.0.1:${upstreamPort}/hello`, undefined, dir));
      runs.nginx.push(await measure(`http://127.0.0.1:${nginxPort}/hello`, undefined, dir, nginxProxy.pid));
      runs.gateway.push(await measure(`http://127.0.0.1:${gatewayPort}/hello?user_key=bench-key`, 'bench.test', dir, gateway.pid));
    }
    const direct = median(runs.direct);
    const viaNginx = median(runs.nginx);
    const viaGateway = median(runs.gateway);

    console.log(`wrk: ${CONNECTIONS} connections, ${SECONDS} s per run, median of ${rounds} interleaved rounds; proxy on CPU ${PROXY_CPU}, upstream + wrk on CPU ${LOAD_CPU}; 1 worker each; load average ${loadavg()[0]!.toFixed(2)}`);
    console.log('saturation:');
    console.log(`  upstream direct      ${fmt(direct.saturated)}`);
    console.log(`  nginx proxy_pass     ${fmt(viaNginx.saturated)}`);
    console.log(`  gateway (apicast)    ${fmt(viaGateway.saturated)}`);
    console.log('half of each target\'s saturation rate (10 connections, paced):');
    console.log(`  upstream direct      ${fmt(direct.half)}`);
    console.log(`  nginx proxy_pass     ${fmt(viaNginx.half)}`);
    console.log(`  gateway (apicast)    ${fmt(viaGateway.half)}`);
    const ratio = viaGateway.saturated.rps / viaNginx.saturated.rps;
    console.log(`gateway ÷ nginx throughput (1 worker each): ${ratio.toFixed(2)}× (goal ≥ 0.80×)`);
    const cpu = (m: Measured): string => (m.cpuMicrosPerRequest === undefined ? '?' : m.cpuMicrosPerRequest.toFixed(1));
    console.log(`CPU per proxied request (load-independent): gateway ${cpu(viaGateway)} µs (includes the post-response authrep), nginx ${cpu(viaNginx)} µs ⇒ nginx ÷ gateway efficiency ${viaGateway.cpuMicrosPerRequest && viaNginx.cpuMicrosPerRequest ? (viaNginx.cpuMicrosPerRequest / viaGateway.cpuMicrosPerRequest).toFixed(2) : '?'}×`);
    console.log(`added over direct at half saturation: gateway p50 +${(viaGateway.half.p50 - direct.half.p50).toFixed(3)} ms, p99 +${(viaGateway.half.p99 - direct.half.p99).toFixed(3)} ms (goal < 1 ms); nginx p50 +${(viaNginx.half.p50 - direct.half.p50).toFixed(3)} ms, p99 +${(viaNginx.half.p99 - direct.half.p99).toFixed(3)} ms`);
  } finally {
    for (const p of processes.reverse()) await p.stop();
  }

  console.log('mapping-rule matching per request (rules matched: the root rule and the last one):');
  for (const figure of measureMapping()) console.log(`  ${String(figure.rules).padStart(6)} rules: ${(figure.nsPerMatch / 1000).toFixed(3)} µs`);
}
