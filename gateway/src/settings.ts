/**
 * Every environment variable of gateway.md §1 (plus the ports the spec README
 * adds), parsed and validated once at boot. Nothing else in the gateway reads
 * `process.env`: take what you need from `Settings`.
 *
 * Errors (a boolean that is not a boolean, an unknown management mode, a port
 * that is not a port) throw SettingsError naming the variable; the CLI prints it
 * and exits non-zero. Lua-only variables are accepted and listed in
 * `ignoredVariables` so the CLI warns about each once.
 */
import { OIDC_LOG_LEVELS, type OidcLogLevel } from './portal/oidc-discovery.js';
import { defaultWorkerCount } from './workers/worker-count.js';
import { loadTracingConfig, type TracingConfig } from './tracing/config.js';
import {
  type Env,
  SettingsError,
  readBoolean,
  readDuration,
  readEnum,
  readInteger,
  readPort,
  readSize,
  readString,
  readUrl,
  redactUserinfo,
} from './settings/env-values.js';
import { readSince311, removedVariableNotices, since311Notices, type Since311Settings } from './settings/since-3-11.js';

export { SettingsError, type Env } from './settings/env-values.js';

export type LoaderMode = 'boot' | 'lazy';
export type ManagementMode = 'disabled' | 'status' | 'policies' | 'debug';
export type LogLevel = 'debug' | 'info' | 'notice' | 'warn' | 'error' | 'crit' | 'alert' | 'emerg';
export type Profile = 'production' | 'staging' | 'development';

/** Since311Settings: the APIcast 3.11–3.16 variables (settings/since-3-11.ts). */
export interface Settings extends Since311Settings {
  // --- listeners (ours: spec README "gateway ports") ---
  httpPort: number;
  managementPort: number;
  metricsPort: number;
  echoPort: number;
  httpsPort: number | undefined;

  // --- configuration source (§1.2) ---
  portalEndpoint: URL | undefined;
  configFile: string | undefined;
  /** `APICAST_CONFIGURATION` verbatim (file:, http(s):, data: or a bare path). */
  configurationUri: string | undefined;
  deploymentEnv: string;
  /** The version in the portal User-Agent: the package version when run through npm, else the APIcast version we match. */
  userAgentVersion: string;
  profile: Profile;
  loader: LoaderMode;
  /** Seconds; 0 = no caching, < 0 = never expire. */
  configurationCache: number;
  configurationTimeout: number;
  servicesList: string[] | undefined;
  servicesFilterByUrl: string | undefined;
  /** `APICAST_SERVICE_<ID>_CONFIGURATION_VERSION`, by service id. */
  serviceConfigurationVersions: ReadonlyMap<string, string>;
  loadServicesWhenNeeded: boolean;
  serviceCacheSize: number;

  // --- routing (§1.3) ---
  pathRouting: boolean;
  pathRoutingOnly: boolean;

  // --- backend (§1.4) ---
  backendEndpointOverride: URL | undefined;
  /** Unknown values are kept: the cache handler then does nothing (§1.4). */
  backendCacheHandler: string;
  responseCodes: boolean;
  reportingThreads: number;
  oauthTokensTtl: number;
  redis: { host: string; port: number; url: string | undefined };

  // --- policies (§1.5) ---
  policyLoadPath: string[];
  apicastDir: string | undefined;

  // --- management, metrics, logs, tracing (§1.6) ---
  managementApi: ManagementMode;
  extendedMetrics: boolean;
  nginxMetricsLogLevel: string;
  nginxMetricsMaxLogs: number;
  logLevel: LogLevel;
  logFile: string | undefined;
  accessLogFile: string;
  accessLogBuffer: number | undefined;
  /** Level of OIDC discovery failure logs (nginx words; exits 1 on another value). */
  oidcLogLevel: OidcLogLevel;
  /** Accepted for compatibility, never acted on: OpenTelemetry replaced it (one notice at boot). */
  opentracing: { tracer: string | undefined; config: string | undefined; forwardHeader: string };
  /** `OPENTELEMETRY` on: the resolved OPENTELEMETRY_CONFIG; undefined = tracing off (no SDK is loaded). */
  opentelemetry: TracingConfig | undefined;

  // --- TLS (§1.7) ---
  httpsCertificate: string | undefined;
  httpsCertificateKey: string | undefined;
  httpsVerifyDepth: number;
  httpProxyProtocol: boolean;
  httpsProxyProtocol: boolean;
  opensslVerify: boolean;
  sslCertFile: string | undefined;
  proxyHttpsCertificate: string | undefined;
  proxyHttpsCertificateKey: string | undefined;
  proxyHttpsPasswordFile: string | undefined;
  proxyHttpsSessionReuse: boolean;

  // --- networking (§1.8) ---
  resolver: string | undefined;
  httpProxy: string | undefined;
  httpsProxy: string | undefined;
  allProxy: string | undefined;
  noProxy: string | undefined;
  upstreamRetryCases: string[];
  cacheStatusCodes: number[];
  cacheMaxTimeSeconds: number;
  /** Seconds; 0 disables client keep-alive. */
  keepaliveTimeout: number;

  // --- process (§1.9, §9.1) ---
  workers: number;
  cloudHosted: boolean;
  onKubernetes: boolean;
  balancerWhitelist: string[];

  /** Lua-only variables that are set: the CLI warns once per name. */
  ignoredVariables: string[];
  /** Deprecation and "accepted but ignored" notes, logged once at boot. */
  notices: string[];
}

const MANAGEMENT_MODES: readonly ManagementMode[] = ['disabled', 'status', 'policies', 'debug'];
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'notice', 'warn', 'error', 'crit', 'alert', 'emerg'];
const IGNORED_VARIABLES = ['APICAST_CUSTOM_CONFIG', 'APICAST_ENVIRONMENT', 'APICAST_OPENRESTY_BINARY', 'APICAST_BUILTIN_POLICY_LOAD_PATH'];

function profileOf(deploymentEnv: string): Profile {
  if (deploymentEnv === 'staging' || deploymentEnv === 'sandbox') return 'staging';
  if (deploymentEnv === 'development') return 'development';
  return 'production';
}

function readWorkers(env: Env, profile: Profile): number {
  const raw = readString(env, 'APICAST_WORKERS');
  if (raw === undefined || raw === 'auto') {
    if (profile === 'development' && raw === undefined) return 1;
    // Kubernetes: the pod's CPUs from the cgroup, not the node's (gateway.md §1.9).
    return defaultWorkerCount(readString(env, 'KUBERNETES_PORT') !== undefined);
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new SettingsError('APICAST_WORKERS', `"${raw}" is not a positive integer or "auto"`);
  return value;
}

function serviceVersions(env: Env): Map<string, string> {
  const versions = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    const match = /^APICAST_SERVICE_(.+)_CONFIGURATION_VERSION$/.exec(name);
    if (match && value) versions.set(match[1], value);
  }
  return versions;
}

const OPENTRACING_VARIABLES = ['OPENTRACING_TRACER', 'OPENTRACING_CONFIG', 'OPENTRACING_FORWARD_HEADER'];

/** OPENTELEMETRY / OPENTELEMETRY_CONFIG (gateway.md §7.1); OPENTRACING_* only earns a notice. */
function readTracing(env: Env, notices: string[]): TracingConfig | undefined {
  const legacy = OPENTRACING_VARIABLES.filter((name) => readString(env, name) !== undefined);
  if (legacy.length > 0) {
    notices.push(
      `${legacy.join(', ')} ${legacy.length > 1 ? 'are' : 'is'} accepted but ignored: OpenTracing was replaced by OpenTelemetry, use OPENTELEMETRY=1 and OPENTELEMETRY_CONFIG`,
    );
  }
  const file = readString(env, 'OPENTELEMETRY_CONFIG');
  if (!readBoolean(env, 'OPENTELEMETRY')) {
    if (file !== undefined) notices.push('OPENTELEMETRY_CONFIG is set but OPENTELEMETRY is not: tracing stays off');
    return undefined;
  }
  let config: TracingConfig;
  try {
    config = loadTracingConfig(file, {
      tracesEndpoint: readString(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'),
      endpoint: readString(env, 'OTEL_EXPORTER_OTLP_ENDPOINT'),
      protocol: readString(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? readString(env, 'OTEL_EXPORTER_OTLP_PROTOCOL'),
      serviceName: readString(env, 'OTEL_SERVICE_NAME'),
    });
  } catch (error) {
    throw new SettingsError(file === undefined ? 'OPENTELEMETRY' : 'OPENTELEMETRY_CONFIG', (error as Error).message);
  }
  notices.push(...config.notes);
  return config;
}

/** Parses the whole environment. Throws SettingsError on the first invalid variable. */
export function parseSettings(env: Env = process.env): Settings {
  const notices: string[] = [];
  const deploymentEnv = readString(env, 'THREESCALE_DEPLOYMENT_ENV') ?? 'production';
  const profile = profileOf(deploymentEnv);

  const loaderDefault: LoaderMode = profile === 'production' ? 'boot' : 'lazy';
  const loader = readEnum<LoaderMode>(env, 'APICAST_CONFIGURATION_LOADER', ['boot', 'lazy'], loaderDefault);
  const cacheDefault = profile === 'production' ? 300 : 0;

  let servicesListRaw = readString(env, 'APICAST_SERVICES_LIST');
  if (servicesListRaw === undefined && readString(env, 'APICAST_SERVICES') !== undefined) {
    servicesListRaw = readString(env, 'APICAST_SERVICES');
    notices.push('APICAST_SERVICES is deprecated, use APICAST_SERVICES_LIST');
  }

  let pathRouting = readBoolean(env, 'APICAST_PATH_ROUTING');
  if (readBoolean(env, 'APICAST_PATH_ROUTING_ENABLED')) {
    pathRouting = true;
    notices.push('APICAST_PATH_ROUTING_ENABLED is deprecated, use APICAST_PATH_ROUTING');
  }
  if (readString(env, 'APICAST_VALIDATE_POLICY_CONFIGS') !== undefined) {
    readBoolean(env, 'APICAST_VALIDATE_POLICY_CONFIGS'); // still must be a boolean
    notices.push('APICAST_VALIDATE_POLICY_CONFIGS is ignored: policy configurations are always validated');
  }
  const loadedEnvironments = readString(env, 'APICAST_LOADED_ENVIRONMENTS') ?? '';
  const cloudHosted = readBoolean(env, 'APICAST_CLOUD_HOSTED') || loadedEnvironments.split('|').includes('cloud_hosted');

  const managementApi = readEnum(env, 'APICAST_MANAGEMENT_API', MANAGEMENT_MODES, 'status');

  // APIcast 3.11–3.16 variables (settings/since-3-11.ts).
  const since311 = readSince311(env);
  notices.push(...removedVariableNotices(env), ...since311Notices(since311));
  const opentelemetry = readTracing(env, notices);

  const proxyVar = (upper: string): string | undefined => {
    const lower = upper.toLowerCase();
    const name = readString(env, lower) !== undefined ? lower : upper;
    const raw = readString(env, name);
    if (raw === undefined || upper === 'NO_PROXY') return raw;
    // `host:port` without a scheme means an http:// proxy, as curl reads it.
    const value = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new SettingsError(name, `"${redactUserinfo(raw)}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new SettingsError(name, `"${redactUserinfo(raw)}": only http:// and https:// proxies are supported`);
    return value;
  };

  return {
    userAgentVersion: readString(env, 'npm_package_version') ?? '3.10',
    httpPort: readPort(env, 'APICAST_HTTP_PORT', 8080),
    managementPort: readPort(env, 'APICAST_MANAGEMENT_PORT', 8090),
    metricsPort: readPort(env, 'APICAST_METRICS_PORT', 9421),
    echoPort: readPort(env, 'APICAST_ECHO_PORT', 8081),
    httpsPort: readPort(env, 'APICAST_HTTPS_PORT', undefined),

    portalEndpoint: readUrl(env, 'THREESCALE_PORTAL_ENDPOINT'),
    configFile: readString(env, 'THREESCALE_CONFIG_FILE'),
    configurationUri: readString(env, 'APICAST_CONFIGURATION'),
    deploymentEnv,
    profile,
    loader,
    configurationCache: readInteger(env, 'APICAST_CONFIGURATION_CACHE', cacheDefault),
    configurationTimeout: readInteger(env, 'APICAST_CONFIGURATION_TIMEOUT', 3),
    servicesList: servicesListRaw === undefined ? undefined : servicesListRaw.split(','),
    servicesFilterByUrl: readString(env, 'APICAST_SERVICES_FILTER_BY_URL'),
    serviceConfigurationVersions: serviceVersions(env),
    loadServicesWhenNeeded: readBoolean(env, 'APICAST_LOAD_SERVICES_WHEN_NEEDED'),
    serviceCacheSize: readInteger(env, 'APICAST_SERVICE_CACHE_SIZE', 1000),

    pathRouting,
    pathRoutingOnly: readBoolean(env, 'APICAST_PATH_ROUTING_ONLY'),

    backendEndpointOverride: readUrl(env, 'BACKEND_ENDPOINT_OVERRIDE'),
    backendCacheHandler: readString(env, 'APICAST_BACKEND_CACHE_HANDLER') ?? 'strict',
    responseCodes: readBoolean(env, 'APICAST_RESPONSE_CODES'),
    reportingThreads: readInteger(env, 'APICAST_REPORTING_THREADS', 0),
    oauthTokensTtl: readInteger(env, 'APICAST_OAUTH_TOKENS_TTL', 604800),
    redis: {
      host: readString(env, 'REDIS_HOST') ?? '127.0.0.1',
      port: readInteger(env, 'REDIS_PORT', 6379),
      url: readString(env, 'REDIS_URL'),
    },

    policyLoadPath: (readString(env, 'APICAST_POLICY_LOAD_PATH') ?? '').split(':').filter((p) => p !== ''),
    apicastDir: readString(env, 'APICAST_DIR'),

    managementApi,
    extendedMetrics: readBoolean(env, 'APICAST_EXTENDED_METRICS'),
    nginxMetricsLogLevel: readString(env, 'NGINX_METRICS_LOG_LEVEL') ?? 'error',
    nginxMetricsMaxLogs: readInteger(env, 'NGINX_METRICS_MAX_LOGS', 100),
    logLevel: readEnum(env, 'APICAST_LOG_LEVEL', LOG_LEVELS, 'warn'),
    logFile: readString(env, 'APICAST_LOG_FILE'),
    accessLogFile: readString(env, 'APICAST_ACCESS_LOG_FILE') ?? '/dev/stdout',
    accessLogBuffer: readSize(env, 'APICAST_ACCESS_LOG_BUFFER'),
    oidcLogLevel: readEnum(env, 'APICAST_OIDC_LOG_LEVEL', OIDC_LOG_LEVELS, 'err'),
    opentelemetry,
    opentracing: {
      tracer: readString(env, 'OPENTRACING_TRACER'),
      config: readString(env, 'OPENTRACING_CONFIG'),
      forwardHeader: readString(env, 'OPENTRACING_FORWARD_HEADER') ?? 'uber-trace-id',
    },

    httpsCertificate: readString(env, 'APICAST_HTTPS_CERTIFICATE'),
    httpsCertificateKey: readString(env, 'APICAST_HTTPS_CERTIFICATE_KEY'),
    httpsVerifyDepth: readInteger(env, 'APICAST_HTTPS_VERIFY_DEPTH', 1),
    httpProxyProtocol: readBoolean(env, 'APICAST_HTTP_PROXY_PROTOCOL'),
    httpsProxyProtocol: readBoolean(env, 'APICAST_HTTPS_PROXY_PROTOCOL'),
    opensslVerify: readBoolean(env, 'OPENSSL_VERIFY'),
    sslCertFile: readString(env, 'SSL_CERT_FILE'),
    proxyHttpsCertificate: readString(env, 'APICAST_PROXY_HTTPS_CERTIFICATE'),
    proxyHttpsCertificateKey: readString(env, 'APICAST_PROXY_HTTPS_CERTIFICATE_KEY'),
    proxyHttpsPasswordFile: readString(env, 'APICAST_PROXY_HTTPS_PASSWORD_FILE'),
    proxyHttpsSessionReuse: readBoolean(env, 'APICAST_PROXY_HTTPS_SESSION_REUSE', true),

    resolver: readString(env, 'RESOLVER'),
    httpProxy: proxyVar('HTTP_PROXY'),
    httpsProxy: proxyVar('HTTPS_PROXY'),
    allProxy: proxyVar('ALL_PROXY'),
    noProxy: proxyVar('NO_PROXY'),
    upstreamRetryCases: (readString(env, 'APICAST_UPSTREAM_RETRY_CASES') ?? 'error timeout').split(/\s+/).filter(Boolean),
    cacheStatusCodes: (readString(env, 'APICAST_CACHE_STATUS_CODES') ?? '200 302')
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
      .filter(Number.isInteger),
    cacheMaxTimeSeconds: readDuration(env, 'APICAST_CACHE_MAX_TIME', 60),
    keepaliveTimeout: readInteger(env, 'HTTP_KEEPALIVE_TIMEOUT', 75),

    workers: readWorkers(env, profile),
    cloudHosted,
    onKubernetes: readString(env, 'KUBERNETES_PORT') !== undefined,
    balancerWhitelist: (readString(env, 'APICAST_BALANCER_WHITELIST') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),

    ignoredVariables: IGNORED_VARIABLES.filter((name) => readString(env, name) !== undefined),
    notices,
    ...since311,
  };
}
