/**
 * What the request path sees of tracing (gateway.md §7.1). Types only: the
 * OpenTelemetry SDK lives in otel.ts and is imported by startTracing() only
 * when OPENTELEMETRY is on, so a gateway without tracing loads none of it and
 * its hot path pays one `undefined` check per hook.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import type { TracingConfig } from './config.js';

/** A span that is ended once; `status` 0 = no answer. */
export interface ClientSpan {
  end(status: number, error?: string): void;
}

/** The server span of one proxied request. */
export interface RequestTrace {
  setService(id: string): void;
  /** The upstream call; its context is what `propagationHeaders` then carries. */
  startUpstream(method: string, url: string): ClientSpan;
  /** `traceparent` (and `tracestate`) for the upstream request, as name/value pairs. */
  propagationHeaders(): readonly string[];
  end(status: number): void;
}

export interface RequestStart {
  readonly method: string;
  /** Path only: the query may carry credentials and never becomes an attribute. */
  readonly path: string;
  readonly host: string;
  readonly headers: IncomingHttpHeaders;
}

export interface GatewayTracer {
  startRequest(request: RequestStart): RequestTrace;
  /**
   * A 3scale backend call: a child of `parent`, the request it is made for, passed explicitly
   * (an AsyncLocalStorage would cost every promise of the process on Node 20); a root span
   * without one (batched reports from a timer) or once that request ended.
   */
  startBackendCall(parent: RequestTrace | undefined, endpoint: string, method: string, url: string): ClientSpan;
  /** Exports what is queued (bounded by the exporter timeout), then stops. */
  shutdown(): Promise<void>;
}

/** Headers the tracer owns on the way upstream: an incoming value is replaced, not forwarded. */
export const PROPAGATION_HEADERS: ReadonlySet<string> = new Set(['traceparent', 'tracestate']);

/** Loads the SDK (lazily, see the header comment) and starts the tracer. */
export async function startTracing(config: TracingConfig, log: Logger): Promise<GatewayTracer> {
  const { OtelTracer } = await import('./otel.js');
  return new OtelTracer(config, log);
}
