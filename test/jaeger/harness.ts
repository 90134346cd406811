/**
 * A real Jaeger (v1.75.0's cmd/jaeger: the OTel-collector based all-in-one)
 * for tracing tests: built by test/jaeger/build.sh into ~/.cache/jaeger (a
 * no-op when cached), started on free loopback ports with in-memory storage,
 * an OTLP/HTTP receiver and the query HTTP API. If it cannot be built or
 * started, start() throws: a tracing test without its collector fails.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { request } from 'undici';
import { startProcess, type ManagedProcess } from '../support/process.js';
import { freePort } from '../support/ports.js';

const run = promisify(execFile);
const BUILD_SCRIPT = resolve(fileURLToPath(new URL('../../../test/jaeger/build.sh', import.meta.url)));

/** Jaeger's query API shapes (/api/traces), as much as the tests read. */
export interface JaegerTag {
  key: string;
  type: string;
  value: string | number | boolean;
}
export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  tags: JaegerTag[];
  processID: string;
}
export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: JaegerTag[] }>;
}

/** Builds (or finds in the cache) the jaeger binary; its path. Cold: several minutes on 2 cores. */
export async function jaegerBinary(): Promise<string> {
  const { stdout } = await run('bash', [BUILD_SCRIPT], { maxBuffer: 16 * 1024 * 1024, timeout: 20 * 60_000 });
  const path = stdout.trim().split('\n').pop();
  if (!path) throw new Error(`jaeger: ${BUILD_SCRIPT} printed no binary path`);
  return path;
}

function config(ports: { otlpHttp: number; otlpGrpc: number; queryHttp: number; queryGrpc: number; health: number }): string {
  // Every listener on an explicit loopback port: the defaults (4317, 16686, 8888, …) may be taken by another run.
  return `
service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:${ports.health}
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${ports.queryHttp}
    grpc:
      endpoint: 127.0.0.1:${ports.queryGrpc}
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 10000
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${ports.otlpHttp}
      grpc:
        endpoint: 127.0.0.1:${ports.otlpGrpc}
processors:
  batch:
    timeout: 100ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;
}

export class Jaeger {
  private constructor(
    readonly process: ManagedProcess,
    readonly otlpHttpPort: number,
    readonly otlpGrpcPort: number,
    readonly queryPort: number,
  ) {}

  /** OTLP/HTTP traces URL. */
  get tracesEndpoint(): string {
    return `http://127.0.0.1:${this.otlpHttpPort}/v1/traces`;
  }

  /** OTLP/gRPC endpoint (what APIcast's host/port configuration speaks). */
  get grpcEndpoint(): string {
    return `http://127.0.0.1:${this.otlpGrpcPort}`;
  }

  static async start(): Promise<Jaeger> {
    const binary = await jaegerBinary();
    const ports = {
      otlpHttp: await freePort(),
      otlpGrpc: await freePort(),
      queryHttp: await freePort(),
      queryGrpc: await freePort(),
      health: await freePort(),
    };
    const file = join(await mkdtemp(join(tmpdir(), 'jaeger-')), 'config.yaml');
    await writeFile(file, config(ports));
    const proc = await startProcess({
      name: `jaeger:${ports.otlpHttp}`,
      command: binary,
      args: ['--config', file],
      ready: async () => {
        // Ready = the query API answers and the OTLP receiver accepts connections.
        const services = await request(`http://127.0.0.1:${ports.queryHttp}/api/services`);
        await services.body.dump();
        const otlp = await request(`http://127.0.0.1:${ports.otlpHttp}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        await otlp.body.dump();
        return services.statusCode === 200 && otlp.statusCode < 500;
      },
      readyTimeoutMs: 30_000,
    });
    return new Jaeger(proc, ports.otlpHttp, ports.otlpGrpc, ports.queryHttp);
  }

  async traces(service: string): Promise<JaegerTrace[]> {
    const response = await request(`http://127.0.0.1:${this.queryPort}/api/traces?service=${encodeURIComponent(service)}&limit=100`);
    const body = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`jaeger query: ${response.statusCode} ${body}`);
    return (JSON.parse(body) as { data: JaegerTrace[] | null }).data ?? [];
  }

  async trace(traceId: string): Promise<JaegerTrace | undefined> {
    const response = await request(`http://127.0.0.1:${this.queryPort}/api/traces/${traceId}`);
    const body = await response.body.text();
    if (response.statusCode === 404) return undefined;
    if (response.statusCode !== 200) throw new Error(`jaeger query: ${response.statusCode} ${body}`);
    return (JSON.parse(body) as { data: JaegerTrace[] | null }).data?.[0];
  }

  /** Polls until the trace holds at least `minSpans` spans (spans arrive in batches). */
  async waitForTrace(traceId: string, minSpans: number, timeoutMs = 20_000): Promise<JaegerTrace> {
    const deadline = Date.now() + timeoutMs;
    let last: JaegerTrace | undefined;
    while (Date.now() < deadline) {
      last = await this.trace(traceId);
      if (last && last.spans.length >= minSpans) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`jaeger: trace ${traceId} has ${last?.spans.length ?? 0} span(s) after ${timeoutMs} ms, expected ${minSpans}`);
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
