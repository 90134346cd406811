/**
 * Metrics hooks: the request path calls these; the metrics module (another
 * folder, gateway/src/metrics/) installs a sink that turns them into
 * prom-client samples. Default sink: does nothing, so the gateway runs
 * without a metrics module and tests of the request path need none.
 */
export interface RequestRecord {
  /** Status sent to the client (499 when the client went away). */
  status: number;
  /** Seconds from request start to response end (post_action excluded). */
  totalTime: number;
  upstreamStatus: number | undefined;
  upstreamTime: number | undefined;
  serviceId: string | undefined;
  serviceSystemName: string | undefined;
}

export type BackendEndpoint = 'authrep' | 'auth' | 'report';

export interface GatewayHooks {
  /** An unknown policy (name/version not found) was dropped from a chain. */
  policyLoadError(policy: string): void;
  /** One Service Management API call; status 0 = no answer (connection failure). */
  backendCall(endpoint: BackendEndpoint, status: number): void;
  /** One proxy-listener request that went through the chains (not healthz, not management). */
  requestFinished(record: RequestRecord): void;
  /** One line written at an error-log level (for nginx_error_log). */
  logLine?(level: string): void;
}

export const noopHooks: GatewayHooks = {
  policyLoadError() {},
  backendCall() {},
  requestFinished() {},
};

/*
 * Error-log lines are the one count kept per process rather than per
 * gateway: the process logger exists before any gateway or metrics registry
 * and outlives them. Everything else reaches the request path through the
 * gateway's runtime (runtime/gateway-runtime.ts).
 */
let logLineSink: ((level: string) => void) | undefined;

/** The metrics module calls this at worker start; undefined stops counting. */
export function countLogLinesIn(sink: ((level: string) => void) | undefined): void {
  logLineSink = sink;
}

/** Called by the logger for each line at an error-log level. */
export function logLineWritten(level: string): void {
  logLineSink?.(level);
}
