import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { EXPORT_FAILURE_LOG_PERIOD_MS, ExportFailureLog, OtelTracer } from './otel.js';
import { startGatewayProcess } from '../../test-support/gateway-process.js';
import { freePort } from '../../../test/support/ports.js';

function capture(): { log: pino.Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const log = pino(
    { level: 'debug' },
    {
      write: (line: string) => {
        lines.push(JSON.parse(line) as { level: number; msg: string });
      },
    },
  );
  return { log, lines };
}

describe('tracing: export failures', () => {
  it('logs the first failure, then one summary per period, and the recovery once', () => {
    let now = 1_000_000;
    const { log, lines } = capture();
    const failures = new ExportFailureLog(log, 'http://127.0.0.1:1/v1/traces', () => now);
    for (let i = 0; i < 500; i++) {
      failures.failed('ECONNREFUSED');
      now += 10;
    }
    assert.equal(lines.length, 1, '500 failures within a minute make one line');
    assert.match(lines[0].msg, /exporting spans to http:\/\/127.0.0.1:1\/v1\/traces failed: ECONNREFUSED/);
    now += EXPORT_FAILURE_LOG_PERIOD_MS;
    failures.failed('ECONNREFUSED');
    assert.equal(lines.length, 2);
    assert.match(lines[1].msg, /499 more failed exports/);
    failures.succeeded();
    failures.succeeded();
    assert.equal(lines.length, 3);
    assert.match(lines[2].msg, /works again/);
  });
});

describe('tracing: no SDK without OPENTELEMETRY', () => {
  // The compiled gateway: only tracing/otel.js may import the SDK, and tracer.ts imports it lazily.
  const gatewayDist = fileURLToPath(new URL('../../', import.meta.url));
  function files(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : path.endsWith('.js') && !path.endsWith('.test.js') ? [path] : [];
    });
  }

  it('no module of the gateway imports @opentelemetry statically except tracing/otel.js', () => {
    const offenders = files(gatewayDist)
      .filter((file) => !file.endsWith(join('tracing', 'otel.js')))
      .filter((file) => /^\s*import[^;]*from\s*['"]@opentelemetry\//m.test(readFileSync(file, 'utf8')));
    assert.deepEqual(offenders, []);
    assert.match(readFileSync(join(gatewayDist, 'src', 'tracing', 'tracer.js'), 'utf8'), /await import\('\.\/otel\.js'\)/);
  });

  it('a gateway process without OPENTELEMETRY resolves no @opentelemetry module; with it, it does', async function () {
    this.timeout(60_000);
    const register = fileURLToPath(new URL('../../test-support/module-trace-register.js', import.meta.url));
    const loaded = async (env: Record<string, string>): Promise<string[]> => {
      const gateway = await startGatewayProcess({ env: { NODE_OPTIONS: `--import ${register}`, ...env } });
      try {
        return gateway.process
          .logs()
          .split('\n')
          .filter((line) => line.startsWith('module-trace: '));
      } finally {
        await gateway.stop();
      }
    };
    assert.deepEqual(await loaded({}), []);
    const on = await loaded({ OPENTELEMETRY: '1', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}` });
    assert.ok(
      on.some((line) => line.includes('@opentelemetry/sdk-trace')),
      `the hooks see the SDK when tracing is on: ${on.join(', ')}`,
    );
  });
});

/** Keeps what it is given, also past shutdown (the SDK's InMemorySpanExporter forgets at shutdown). */
class Memory implements SpanExporter {
  readonly spans: ReadableSpan[] = [];
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.spans.push(...spans);
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
  getFinishedSpans(): ReadableSpan[] {
    return this.spans;
  }
}

describe('tracing: span parents (in process, in-memory exporter)', () => {
  const config = {
    protocol: 'http/protobuf' as const,
    endpoint: 'http://127.0.0.1:1/v1/traces',
    serviceName: 't',
    batch: { maxQueueSize: 100, scheduleDelayMillis: 10, maxExportBatchSize: 10 },
    notes: [],
  };

  it('a backend call made for a request is its child; once the request ended, or for no request, a root span', async () => {
    const memory = new Memory();
    const tracer = new OtelTracer(config, capture().log, memory);
    const trace = tracer.startRequest({ method: 'GET', path: '/a', host: 'h', headers: {} });
    tracer.startBackendCall(trace, 'authrep', 'GET', 'http://backend/transactions/authrep.xml').end(200);
    trace.end(200);
    tracer.startBackendCall(trace, 'report', 'POST', 'http://backend/transactions.xml').end(202);
    tracer.startBackendCall(undefined, 'auth', 'GET', 'http://backend/transactions/authorize.xml').end(200);
    await tracer.shutdown();
    const byName = new Map(memory.getFinishedSpans().map((s) => [s.name, s]));
    const server = byName.get('apicast')!;
    assert.equal(byName.get('backend authrep')!.parentSpanContext?.spanId, server.spanContext().spanId);
    assert.equal(byName.get('backend authrep')!.spanContext().traceId, server.spanContext().traceId);
    assert.equal(byName.get('backend report')!.parentSpanContext, undefined, 'not parented to an ended request');
    assert.notEqual(byName.get('backend report')!.spanContext().traceId, server.spanContext().traceId);
    assert.equal(byName.get('backend auth')!.parentSpanContext, undefined);
  });

  it('an unsampled incoming traceparent is honoured: nothing recorded, the flag goes upstream', async () => {
    const memory = new Memory();
    const tracer = new OtelTracer(config, capture().log, memory);
    const trace = tracer.startRequest({
      method: 'GET',
      path: '/',
      host: 'h',
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' },
    });
    trace.startUpstream('GET', 'http://u/').end(200);
    const headers = trace.propagationHeaders();
    trace.end(200);
    await tracer.shutdown();
    assert.equal(memory.getFinishedSpans().length, 0);
    assert.equal(headers[0], 'traceparent');
    assert.match(headers[1], /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00$/);
  });
});
