/**
 * Gateway throughput and latency against nginx and two logic-free Node
 * proxies (figures, not a test). `make bench`, or `node dist/bench/gateway/run.js`.
 *
 * Layout on the 2 cores: the proxy under test pinned to CPU 0 (one worker);
 * the Node upstream, the stand-in 3scale backend (nginx) and wrk (1 thread)
 * pinned to CPU 1. Rounds interleave all targets so that background load hits
 * them alike; every figure is the median over the rounds. The 2-worker setup
 * is pinned to both CPUs and so shares them with the load generator: its
 * scaling figure is a lower bound on this machine.
 *
 * Gateway setups: (a) the apicast policy, authorization cached after the first
 * call, one authrep per request sent after the response (APIcast's default);
 * (b) the same with 3scale_batcher in front, reports batched every second.
 * Boot-to-ready figures are printed by the `gateway-boot` area.
 */
import { mkdtemp } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ManagedProcess } from '../../test/support/process.js';
import { measureMapping } from './mapping.js';
import { measure, summarize, type LoadShape, type Measurement, type Summary } from './measure.js';
import { measureReloads } from './reload.js';
import { entryOf, pidOf } from '../required.js';
import {
  gatewayConfiguration,
  startBackend,
  startGateway,
  startNginxProxy,
  startNode,
  startPeer,
  type GatewaySetup,
  type Target,
} from './targets.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROXY_CPU = '0';
const LOAD_CPU = '1';

const SETUPS: GatewaySetup[] = [
  { name: 'gateway (a) apicast, 1 rule', rules: 1, batcher: false, workers: 1, cpus: PROXY_CPU },
  { name: 'gateway (a) apicast, 10 000 rules', rules: 10_000, batcher: false, workers: 1, cpus: PROXY_CPU },
  { name: 'gateway (b) 3scale_batcher', rules: 1, batcher: true, workers: 1, cpus: PROXY_CPU },
  { name: 'gateway (a), 2 workers', rules: 1, batcher: false, workers: 2, cpus: `${PROXY_CPU},${LOAD_CPU}` },
];

const ms = (value: number): string => `${value.toFixed(2)} ms`;
const signedMs = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(2)} ms`;
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

function printTable(summaries: Map<string, Summary>, nginx: Summary, fastify: Summary): void {
  const header = ['proxy', 'req/s', '÷ nginx', '÷ fastify', 'CPU µs/req', 'p50 sat', 'p99 sat', 'added p50', 'added p99', 'RSS MiB'];
  const rows = [...summaries].map(([name, s]) =>
    [
      name,
      s.rps.toFixed(0),
      ratio(s.rps, nginx.rps),
      ratio(s.rps, fastify.rps),
      s.cpuMicrosPerRequest.toFixed(1),
      ms(s.p50),
      ms(s.p99),
      signedMs(s.addedP50),
      signedMs(s.addedP99),
      (s.rssBytes / 2 ** 20).toFixed(0),
    ].concat(s.errors ? [`${s.errors} errors!`] : []),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

function printGoals(s: Map<string, Summary>, nginx: Summary, fastify: Summary): void {
  const a = entryOf(s, SETUPS[0].name);
  const a10k = entryOf(s, SETUPS[1].name);
  const b = entryOf(s, SETUPS[2].name);
  const two = entryOf(s, SETUPS[3].name);
  console.log('where we are heading (figures, not gates):');
  console.log(
    `  (a) ÷ fastify/@fastify/http-proxy ${ratio(a.rps, fastify.rps)} (goal ≥ 1.00×); (a) ÷ nginx ${ratio(a.rps, nginx.rps)} (goal ≥ 0.50×)`,
  );
  console.log(`  (b) ÷ nginx ${ratio(b.rps, nginx.rps)} (goal ≥ 0.80×)`);
  console.log(`  added p99 at half saturation: (a) ${signedMs(a.addedP99)}, (b) ${signedMs(b.addedP99)} (goal ≤ 1 ms)`);
  console.log(`  10 000 rules ÷ 1 rule: ${ratio(a10k.rps, a.rps)} (goal ≥ 0.90×)`);
  console.log(`  2 workers ÷ 1 worker: ${ratio(two.rps, a.rps)} (2 cores shared with the load generator)`);
}

async function startAll(dir: string, upstreamUrl: string, backendUrl: string, upstreamPort: number): Promise<Target[]> {
  const targets: Target[] = [];
  targets.push(await startNginxProxy(dir, PROXY_CPU, upstreamPort));
  targets.push(await startPeer('fastify-proxy', PROXY_CPU, upstreamUrl));
  targets.push(await startPeer('node-http-proxy', PROXY_CPU, upstreamUrl));
  for (const setup of SETUPS) targets.push(await startGateway(dir, setup, upstreamUrl, backendUrl));
  return targets;
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-gateway-'));
  const processes: ManagedProcess[] = [];
  const load: LoadShape = { connections: CONNECTIONS, seconds: SECONDS, cpus: LOAD_CPU, scriptDir: dir };
  try {
    const upstream = await startNode('upstream', 'upstream', LOAD_CPU, []);
    processes.push(upstream.process);
    const backend = await startBackend(dir, LOAD_CPU);
    processes.push(backend.process);
    const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
    const backendUrl = `http://127.0.0.1:${backend.port}`;
    const directUrl = `${upstreamUrl}/hello`;
    const targets = await startAll(dir, upstreamUrl, backendUrl, upstream.port);
    processes.push(...targets.map((t) => t.process));

    const rounds = new Map<string, Measurement[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const target of targets) {
        entryOf(rounds, target.name).push(
          await measure({ url: target.url, host: target.host, pid: pidOf(target.process, target.name) }, directUrl, load),
        );
      }
    }
    const summaries = new Map([...rounds].map(([name, measured]) => [name, summarize(measured)]));
    const nginx = entryOf(summaries, 'nginx proxy_pass');
    const fastify = entryOf(summaries, 'fastify + @fastify/http-proxy');

    console.log(
      `wrk 1 thread, ${CONNECTIONS} connections, ${SECONDS} s per run, medians of ${ROUNDS} interleaved rounds; proxy on CPU ${PROXY_CPU}, Node upstream + nginx backend + wrk on CPU ${LOAD_CPU}; one worker each unless stated; load average at the end ${loadavg()[0].toFixed(2)}`,
    );
    console.log("added p50/p99 = proxied − direct, both paced at half of that proxy's saturation rate");
    printTable(summaries, nginx, fastify);
    printGoals(summaries, nginx, fastify);

    const gatewayA = targets.find((t) => t.name === SETUPS[0].name) as Target & { configFile: string };
    const reloads = await measureReloads(
      {
        ...gatewayA,
        configuration: (generation) => gatewayConfiguration(SETUPS[0], upstreamUrl, backendUrl, generation),
      },
      entryOf(summaries, SETUPS[0].name).rps,
      load,
    );
    console.log(
      `reloads (SIGHUP every 2 s, ${reloads.reloads} reloads, paced at half saturation): p99 ${ms(reloads.reloading.p99)} vs ${ms(reloads.steady.p99)} without ⇒ ${ratio(reloads.reloading.p99, reloads.steady.p99)} (goal ≤ 2.00×); failed requests ${reloads.reloading.errors}`,
    );
  } finally {
    for (const p of processes.reverse()) await p.stop();
  }

  console.log('mapping-rule matching per request, in process (the root rule and the last one match):');
  for (const figure of measureMapping())
    console.log(`  ${String(figure.rules).padStart(6)} rules: ${(figure.nsPerMatch / 1000).toFixed(3)} µs`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run();
  process.exit(0);
}
