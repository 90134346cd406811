/**
 * Cost of OpenTelemetry tracing per request (figures, not a test): the same
 * gateway (apicast policy, 1 rule, 1 worker on CPU 0) with tracing off, on
 * and exporting to a real Jaeger (test/jaeger, v1.75.0, in-memory), and on
 * with the collector unreachable (a closed loopback port). Upstream, the
 * nginx stand-in backend, Jaeger and wrk share CPU 1. Rounds interleave the
 * three gateways; figures are medians. Bounded: BENCH_SECONDS per run,
 * loopback only.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ManagedProcess } from '../../test/support/process.js';
import { freePort } from '../../test/support/ports.js';
import { Jaeger } from '../../test/jaeger/harness.js';
import pino from 'pino';
import { OtelTracer } from '../../gateway/src/tracing/otel.js';
import { startBackend, startGateway, startNode, type GatewaySetup, type Target } from '../gateway/targets.js';
import { wrk, type WrkResult } from '../gateway/wrk.js';
import { entryOf } from '../required.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROXY_CPU = '0';
const LOAD_CPU = '1';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function otelConfig(dir: string, name: string, host: string, port: number): Promise<string> {
  const file = join(dir, `${name}.toml`);
  // APIcast's documented example, with the collector's OTLP/HTTP port.
  await writeFile(
    file,
    [
      'exporter = "otlp"',
      'processor = "batch"',
      '[exporters.otlp]',
      `host = "${host}"`,
      `port = ${port}`,
      '[processors.batch]',
      'max_queue_size = 2048',
      'schedule_delay_millis = 5000',
      'max_export_batch_size = 512',
      '[service]',
      'name = "apicast-bench"',
    ].join('\n'),
  );
  return file;
}

/**
 * The tracing work of one request in process, without the network: server span, authrep span,
 * upstream span, traceparent injection, ends. Spans go to the batch processor of a collector
 * on a closed port (dropped once the queue is full, as under load).
 */
export async function inProcessMicros(): Promise<number> {
  const tracer = new OtelTracer(
    {
      protocol: 'http/protobuf',
      endpoint: `http://127.0.0.1:${await freePort()}/v1/traces`,
      serviceName: 'bench',
      batch: { maxQueueSize: 2048, scheduleDelayMillis: 5000, maxExportBatchSize: 512 },
      notes: [],
    },
    pino({ level: 'silent' }),
  );
  const once = (): void => {
    const trace = tracer.startRequest({
      method: 'GET',
      path: '/hello',
      host: 'bench.test',
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
    trace.setService('1');
    tracer.startBackendCall(trace, 'authrep', 'GET', 'http://backend/transactions/authrep.xml').end(200);
    const upstream = trace.startUpstream('GET', 'http://upstream/hello');
    trace.propagationHeaders();
    upstream.end(200);
    trace.end(200);
  };
  for (let i = 0; i < 20_000; i++) once();
  const n = 200_000;
  const started = performance.now();
  for (let i = 0; i < n; i++) once();
  const micros = ((performance.now() - started) * 1000) / n;
  await tracer.shutdown();
  return micros;
}

export async function run(): Promise<void> {
  console.log(`in process: tracing work of one request (3 spans, W3C extract + inject) ${(await inProcessMicros()).toFixed(2)} µs`);
  const dir = await mkdtemp(join(tmpdir(), 'bench-tracing-'));
  const processes: ManagedProcess[] = [];
  let jaeger: Jaeger | undefined;
  try {
    const upstream = await startNode('upstream', 'upstream', LOAD_CPU, []);
    processes.push(upstream.process);
    const backend = await startBackend(dir, LOAD_CPU);
    processes.push(backend.process);
    jaeger = await Jaeger.start();
    const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
    const backendUrl = `http://127.0.0.1:${backend.port}`;
    const setup = (name: string): GatewaySetup => ({ name, rules: 1, batcher: false, workers: 1, cpus: PROXY_CPU });
    const jaegerPort = jaeger.otlpGrpcPort; // host/port: OTLP/gRPC, as APIcast's configuration
    const targets: Target[] = [
      await startGateway(dir, setup('tracing off'), upstreamUrl, backendUrl),
      await startGateway(dir, setup('tracing on → Jaeger'), upstreamUrl, backendUrl, [], {
        OPENTELEMETRY: '1',
        OPENTELEMETRY_CONFIG: await otelConfig(dir, 'jaeger', '127.0.0.1', jaegerPort),
      }),
      await startGateway(dir, setup('tracing on → closed port'), upstreamUrl, backendUrl, [], {
        OPENTELEMETRY: '1',
        OPENTELEMETRY_CONFIG: await otelConfig(dir, 'closed', '127.0.0.1', await freePort()),
      }),
    ];
    processes.push(...targets.map((t) => t.process));

    const results = new Map<string, WrkResult[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const target of targets) {
        entryOf(results, target.name).push(
          await wrk({ url: target.url, host: target.host, connections: CONNECTIONS, seconds: SECONDS, cpus: LOAD_CPU, scriptDir: dir }),
        );
      }
    }
    const off = median(entryOf(results, 'tracing off').map((r) => r.rps));
    const spans = (await jaeger.traces('apicast-bench')).length;
    console.log(
      `wrk 1 thread, ${CONNECTIONS} connections, ${SECONDS} s per run, medians of ${ROUNDS} interleaved rounds; gateway on CPU ${PROXY_CPU}; upstream, nginx backend, Jaeger and wrk on CPU ${LOAD_CPU}; load average at the end ${loadavg()[0].toFixed(2)}`,
    );
    console.log('| gateway (apicast, 1 rule, 1 worker) | req/s | ÷ off | p50 | p99 | errors |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const [name, runs] of results) {
      const rps = median(runs.map((r) => r.rps));
      console.log(
        `| ${name} | ${rps.toFixed(0)} | ${(rps / off).toFixed(2)}× | ${median(runs.map((r) => r.p50)).toFixed(2)} ms | ${median(runs.map((r) => r.p99)).toFixed(2)} ms | ${runs.reduce((sum, r) => sum + r.errors, 0)} |`,
      );
    }
    console.log(
      `Jaeger query API returns ${spans} trace(s) of service apicast-bench (capped at the query limit of 100): the spans arrived`,
    );
  } finally {
    for (const p of processes.reverse()) await p.stop();
    await jaeger?.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run();
  process.exit(0);
}
