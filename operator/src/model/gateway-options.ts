// The gateway's own settings of a CR (APIManager staging/production spec, APIcast spec) → GatewayOptions, with
// the cross-field checks the schema cannot express. Pure; the Secrets they name are read by the builder.
import type { GatewaySpec } from '../api/types.js';
import type { FieldError, GatewayOptions } from './types.js';
import { EnvList } from './env-list.js';

export const DEFAULT_HTTPS_PORT = 8443;
/** customEnvironments are Lua files for upstream's gateway; ours mounts them but cannot run them. */
export const LUA_ENVIRONMENTS_IGNORED =
  'mounted and listed in APICAST_ENVIRONMENT, but this gateway cannot run Lua environment files and ignores them';
/** Ports the gateway already listens on: an HTTPS listener there would never start. */
const TAKEN_PORTS = new Map([
  [8080, 'the HTTP listener'],
  [8090, 'the management API'],
  [9421, 'the metrics endpoint'],
]);

function policiesOf(spec: GatewaySpec, path: string, errors: FieldError[]): GatewayOptions['customPolicies'] {
  const seen = new Set<string>();
  return (spec.customPolicies ?? []).map((p, i) => {
    const id = `${p.name}/${p.version}`;
    if (seen.has(id)) errors.push({ path: `${path}.customPolicies[${i}]`, reason: `duplicate policy ${id}` });
    seen.add(id);
    return { name: p.name, version: p.version, secretName: p.secretRef.name };
  });
}

function httpsOf(spec: GatewaySpec, path: string, errors: FieldError[]): GatewayOptions['https'] {
  const certificateSecret = spec.httpsCertificateSecretRef?.name;
  if (spec.httpsPort === undefined && certificateSecret === undefined) {
    if (spec.httpsVerifyDepth !== undefined)
      errors.push({
        path: `${path}.httpsVerifyDepth`,
        reason: 'needs httpsPort or httpsCertificateSecretRef (there is no HTTPS listener)',
      });
    return undefined;
  }
  const port = spec.httpsPort ?? DEFAULT_HTTPS_PORT;
  const taken = TAKEN_PORTS.get(port);
  if (taken !== undefined) errors.push({ path: `${path}.httpsPort`, reason: `${port} is the port of ${taken}` });
  return {
    port,
    ...(spec.httpsVerifyDepth !== undefined ? { verifyDepth: spec.httpsVerifyDepth } : {}),
    ...(certificateSecret !== undefined && certificateSecret !== '' ? { certificateSecret } : {}),
  };
}

function tracingOf(spec: GatewaySpec, path: string, errors: FieldError[]): GatewayOptions['openTelemetry'] {
  const otel = spec.openTelemetry;
  if (otel?.enabled !== true) return undefined;
  const secretName = otel.tracingConfigSecretRef?.name;
  if (otel.tracingConfigSecretKey !== undefined && (secretName === undefined || secretName === '')) {
    errors.push({ path: `${path}.openTelemetry.tracingConfigSecretKey`, reason: 'needs tracingConfigSecretRef' });
  }
  return {
    ...(secretName !== undefined && secretName !== '' ? { secretName } : {}),
    ...(otel.tracingConfigSecretKey !== undefined ? { key: otel.tracingConfigSecretKey } : {}),
  };
}

export function toGatewayOptions(spec: GatewaySpec | undefined, path: string, errors: FieldError[]): GatewayOptions {
  const s = spec ?? {};
  const envList = new EnvList();
  envList.add('ALL_PROXY', s.allProxy);
  envList.add('HTTP_PROXY', s.httpProxy);
  envList.add('HTTPS_PROXY', s.httpsProxy);
  envList.add('NO_PROXY', s.noProxy);
  envList.add('APICAST_SERVICE_CACHE_SIZE', s.serviceCacheSize);
  envList.add('APICAST_WORKERS', s.workers);
  envList.add('APICAST_LOG_LEVEL', s.logLevel);
  envList.add('APICAST_HTTPS_VERIFY_CLIENT', s.httpsVerifyClient);
  envList.add('APICAST_PROXY_BUFFER_SIZE', s.proxyBufferSize);
  envList.add('APICAST_LARGE_CLIENT_HEADER_BUFFERS', s.largeClientHeaderBuffers);
  envList.add('APICAST_LUA_SOCKET_KEEPALIVE_REQUESTS', s.socketKeepaliveRequests);
  envList.add('APICAST_ACCESS_LOG_BUFFER', s.accessLogBuffer);
  envList.add('APICAST_POLICY_BATCHER_SHARED_MEMORY_SIZE', s.batcherSharedMemorySize);
  const https = httpsOf(s, path, errors);
  const openTelemetry = tracingOf(s, path, errors);
  return {
    customPolicies: policiesOf(s, path, errors),
    customEnvironments: (s.customEnvironments ?? []).map((e) => e.secretRef.name),
    ...(openTelemetry !== undefined ? { openTelemetry } : {}),
    ...(https !== undefined ? { https } : {}),
    env: envList.vars,
  };
}

/** True when a gateway has none of these settings (the 2.9 shape, rendered exactly as before). */
export function noGatewayOptions(options: GatewayOptions): boolean {
  return (
    options.customPolicies.length === 0 &&
    options.customEnvironments.length === 0 &&
    options.openTelemetry === undefined &&
    options.https === undefined &&
    options.env.length === 0
  );
}

/** The 2.9 gateway: none of these settings (the OpenShift templates always build this one). */
export const NO_GATEWAY_OPTIONS: GatewayOptions = { customPolicies: [], customEnvironments: [], env: [] };

/** Every Secret the gateway settings name: a change to one of them must trigger a reconcile (and a rollout). */
export function gatewaySecretNames(spec: GatewaySpec | undefined): string[] {
  const s = spec ?? {};
  return [
    ...(s.customPolicies ?? []).map((p) => p.secretRef.name),
    ...(s.customEnvironments ?? []).map((e) => e.secretRef.name),
    s.openTelemetry?.tracingConfigSecretRef?.name,
    s.httpsCertificateSecretRef?.name,
  ].filter((n): n is string => typeof n === 'string' && n !== '');
}
