/**
 * The OpenTelemetry side of tracing, imported only when OPENTELEMETRY is on
 * (tracer.ts). Spans are made explicitly, no auto-instrumentation: the server
 * span of a request, a client span per 3scale backend call and one for the
 * upstream call. Export is batched off the request path and a collector that
 * is down costs a log line a minute, never a delayed response.
 */
import type { Logger } from 'pino';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
} from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TracerProvider,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter as OtlpHttpExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import type { TracingConfig } from './config.js';
import type { ClientSpan, GatewayTracer, RequestStart, RequestTrace } from './tracer.js';

/** One export failure line per this period at most, whatever the request rate. */
export const EXPORT_FAILURE_LOG_PERIOD_MS = 60_000;
/** An export that hangs (a black-holed collector) is abandoned after this; the batch is dropped. */
const EXPORT_TIMEOUT_MS = 10_000;
/** At stop and drain, queued spans get this long to be exported. */
export const SHUTDOWN_GRACE_MS = 3_000;

const headerGetter: TextMapGetter<RequestStart['headers']> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};
const pairSetter: TextMapSetter<string[]> = {
  set: (carrier, key, value) => {
    carrier.push(key, value);
  },
};

/** Logs the first failure at once, then at most one summary per period; says when exports work again. */
export class ExportFailureLog {
  private lastLogged = -Infinity;
  private unlogged = 0;
  private failing = false;

  constructor(
    private readonly log: Logger,
    private readonly endpoint: string,
    private readonly now: () => number = Date.now,
  ) {}

  failed(error: string): void {
    this.failing = true;
    const now = this.now();
    if (now - this.lastLogged < EXPORT_FAILURE_LOG_PERIOD_MS) {
      this.unlogged++;
      return;
    }
    const more = this.unlogged > 0 ? ` (${this.unlogged} more failed exports since the last report)` : '';
    this.log.warn(`OpenTelemetry: exporting spans to ${this.endpoint} failed: ${error}${more}; spans of failed exports are dropped`);
    this.lastLogged = now;
    this.unlogged = 0;
  }

  succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.unlogged = 0;
    this.lastLogged = -Infinity;
    this.log.info(`OpenTelemetry: exporting spans to ${this.endpoint} works again`);
  }
}

/** The OTLP exporter with its failures reported through ExportFailureLog (the SDK's own go to a no-op diag). */
class ReportingExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly failures: ExportFailureLog,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.failures.succeeded();
      else this.failures.failed(result.error?.message ?? 'unknown error');
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

function statusOf(span: Span, status: number, error?: string): void {
  span.setAttribute('http.status_code', status);
  if (status === 0 || status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, ...(error ? { message: error } : {}) });
}

class SdkClientSpan implements ClientSpan {
  constructor(private readonly span: Span) {}
  end(status: number, error?: string): void {
    statusOf(this.span, status, error);
    this.span.end();
  }
}

class SdkRequestTrace implements RequestTrace {
  private readonly context: Context;
  private upstreamContext: Context | undefined;
  private ended = false;

  constructor(
    private readonly owner: OtelTracer,
    private readonly span: Span,
  ) {
    this.context = trace.setSpan(ROOT_CONTEXT, span);
  }

  /**
   * The context backend spans hang from (see OtelTracer.startBackendCall); none once the request
   * ended: a call made later for it (a policy that keeps the context) is no part of it any more.
   */
  get parent(): Context | undefined {
    return this.ended ? undefined : this.context;
  }

  setService(id: string): void {
    this.span.setAttribute('threescale.service_id', id);
  }

  startUpstream(method: string, url: string): ClientSpan {
    const span = this.owner.tracer.startSpan(
      `upstream ${method}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { 'http.method': method, 'http.url': url },
      },
      this.context,
    );
    this.upstreamContext = trace.setSpan(ROOT_CONTEXT, span);
    return new SdkClientSpan(span);
  }

  propagationHeaders(): readonly string[] {
    const pairs: string[] = [];
    this.owner.propagator.inject(this.upstreamContext ?? this.context, pairs, pairSetter);
    return pairs;
  }

  end(status: number): void {
    this.ended = true;
    statusOf(this.span, status);
    this.span.end();
  }
}

export class OtelTracer implements GatewayTracer {
  readonly propagator = new W3CTraceContextPropagator();
  readonly tracer: Tracer;
  private readonly provider: TracerProvider;

  /** `inner`: where spans go instead of OTLP (in-process tests). */
  constructor(
    config: TracingConfig,
    private readonly log: Logger,
    inner?: SpanExporter,
  ) {
    const failures = new ExportFailureLog(log, config.endpoint);
    const exporter = new ReportingExporter(inner ?? otlpExporter(config), failures);
    this.provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': config.serviceName }),
      // Explicit, so that no OTEL_TRACES_SAMPLER inherited by the process changes it: a client's sampled flag is honoured, new traces are all kept.
      sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
      spanProcessors: [
        new BatchSpanProcessor({
          exporter,
          maxQueueSize: config.batch.maxQueueSize,
          maxExportBatchSize: config.batch.maxExportBatchSize,
          scheduledDelayMillis: config.batch.scheduleDelayMillis,
          exportTimeoutMillis: EXPORT_TIMEOUT_MS,
        }),
      ],
    });
    this.tracer = this.provider.getTracer('apicast');
    log.info(`OpenTelemetry tracing on: service ${config.serviceName}, OTLP/HTTP to ${config.endpoint}`);
  }

  startRequest(request: RequestStart): RequestTrace {
    // An incoming traceparent makes this span its child; otherwise a new trace starts.
    const parent = this.propagator.extract(ROOT_CONTEXT, request.headers, headerGetter);
    const span = this.tracer.startSpan(
      'apicast',
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.method': request.method, 'http.target': request.path, 'http.host': request.host },
      },
      parent,
    );
    return new SdkRequestTrace(this, span);
  }

  startBackendCall(parent: RequestTrace | undefined, endpoint: string, method: string, url: string): ClientSpan {
    const span = this.tracer.startSpan(
      `backend ${endpoint}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { 'threescale.backend.endpoint': endpoint, 'http.method': method, 'http.url': url },
      },
      (parent instanceof SdkRequestTrace ? parent.parent : undefined) ?? ROOT_CONTEXT,
    );
    return new SdkClientSpan(span);
  }

  /** Bounded: a collector that never answers must not hold a draining gateway for the exporter's timeouts. */
  async shutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, SHUTDOWN_GRACE_MS);
    });
    const done = await Promise.race([
      this.provider.shutdown().then(
        () => true,
        () => true,
      ),
      cut,
    ]);
    clearTimeout(timer);
    if (!done) this.log.warn(`OpenTelemetry: spans still queued after ${SHUTDOWN_GRACE_MS} ms at stop are dropped`);
  }
}

/** OTLP/gRPC for APIcast-style host/port configurations, OTLP/HTTP (protobuf) otherwise. */
function otlpExporter(config: TracingConfig): SpanExporter {
  return config.protocol === 'grpc'
    ? new OtlpGrpcExporter({ url: config.endpoint, timeoutMillis: EXPORT_TIMEOUT_MS })
    : new OtlpHttpExporter({ url: config.endpoint, timeoutMillis: EXPORT_TIMEOUT_MS });
}
