/**
 * Everything one gateway owns beyond its listeners: the backend client and
 * authorization cache, Redis clients, shared dictionaries, HTTP/2 sessions
 * to gRPC upstreams, and whatever a policy opens. Created at boot, handed to
 * every policy (`build.runtime`), closed by stop() and drain: each resource
 * is created on first use through `own()` and registered with its closer, so
 * nothing outlives the gateway that opened it and a process can start and
 * stop gateways repeatedly (tests, the operator's embedded checks).
 */
import { noopHooks, type GatewayHooks } from '../telemetry/hooks.js';
import { directOutbound, type Outbound } from '../net/outbound.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { GatewayTracer } from '../tracing/tracer.js';

/**
 * What the process that hosts the gateway set up before it (the worker
 * start-up: DNS resolver and forward proxies, the metrics registry). The
 * gateway uses them through its runtime instead of process-wide accessors;
 * their creator closes them. Defaults: no metrics, the system resolver,
 * nothing proxied (tests, embedded use).
 */
export interface ProcessServices {
  readonly hooks: GatewayHooks;
  readonly outbound: Outbound;
  readonly metrics: GatewayMetrics | undefined;
  /** OpenTelemetry (OPENTELEMETRY on); undefined = no tracing, and the request path skips every span. */
  readonly tracer: GatewayTracer | undefined;
}

interface Owned {
  readonly key: string;
  readonly value: unknown;
  readonly close: (value: never) => unknown;
}

export interface RuntimeCloseReport {
  /** Resource keys whose closer failed, with the reason. */
  readonly failures: { key: string; error: string }[];
}

export class GatewayRuntime {
  private readonly owned = new Map<string, Owned>();
  private closing: Promise<RuntimeCloseReport> | undefined;

  readonly hooks: GatewayHooks;
  readonly outbound: Outbound;
  /** Undefined when the host process installed no metrics (policies then count nothing). */
  readonly metrics: GatewayMetrics | undefined;
  readonly tracer: GatewayTracer | undefined;

  constructor(services: Partial<ProcessServices> = {}) {
    this.hooks = services.hooks ?? noopHooks;
    this.outbound = services.outbound ?? directOutbound;
    this.metrics = services.metrics;
    this.tracer = services.tracer;
  }

  /**
   * The resource under `key`, created by `create` on first use; `close` runs
   * when the gateway stops. Same key ⇒ same instance for every caller.
   */
  own<T>(key: string, create: () => T, close: (value: T) => unknown): T {
    const existing = this.owned.get(key);
    if (existing) return existing.value as T;
    if (this.closing) throw new Error(`gateway runtime is closed: cannot open ${key}`);
    const value = create();
    this.owned.set(key, { key, value, close: close });
    return value;
  }

  /** Registers work to do at close that owns no value (a timer to clear, a flush). */
  onClose(key: string, close: () => unknown): void {
    this.own(key, () => undefined, close);
  }

  /** True while `key` is open (tests, diagnostics). */
  has(key: string): boolean {
    return this.owned.has(key);
  }

  /**
   * Closes everything, newest first (a resource may use an older one while
   * it closes); one failing closer does not stop the others. Idempotent.
   */
  close(): Promise<RuntimeCloseReport> {
    this.closing ??= (async () => {
      const failures: { key: string; error: string }[] = [];
      for (const entry of [...this.owned.values()].reverse()) {
        try {
          await (entry.close as (value: unknown) => unknown)(entry.value);
        } catch (error) {
          failures.push({ key: entry.key, error: (error as Error).message });
        }
      }
      this.owned.clear();
      return { failures };
    })();
    return this.closing;
  }
}
