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

let installed: GatewayHooks = noopHooks;

/** The metrics module calls this once at worker start. */
export function installHooks(hooks: GatewayHooks): void { installed = hooks; }

/** Current sink; read it at call time (not at import time) so a later install takes effect. */
export function hooks(): GatewayHooks { return installed; }

/** Delegates to whatever sink is installed at call time: hand this to long-lived objects built before installHooks. */
export const liveHooks: GatewayHooks = {
  policyLoadError: (policy) => installed.policyLoadError(policy),
  backendCall: (endpoint, status) => installed.backendCall(endpoint, status),
  requestFinished: (record) => installed.requestFinished(record),
  logLine: (level) => installed.logLine?.(level),
};
