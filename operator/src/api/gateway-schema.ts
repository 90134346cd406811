// Schema fields of an embedded or standalone gateway that configure the gateway itself (2.11+ / apicast-operator
// 0.6+): custom policies and environments, OpenTelemetry, HTTPS, forward proxies and a few APICAST_* variables.
import { arr, bool, int32, localObjectReference, obj, requiredObjectReference, str } from './schema-parts.js';

export const GATEWAY_LOG_LEVELS = ['debug', 'info', 'notice', 'warn', 'error', 'crit', 'alert', 'emerg'] as const;

/** nginx size syntax: a number with an optional k or m suffix. */
const SIZE = '^[1-9][0-9]*[kKmM]?$';

const proxyUrl = (variable: string) => str(`${variable}: <scheme>://<host>:<port> of a forward proxy.`, { pattern: '^https?://' });

export const customPolicies = () =>
  arr(
    'Custom policies: each Secret (apicast-policy.json, index.js and any other file) is mounted at /opt/app-root/src/policies/<name>/<version>.',
    obj(
      'One custom policy.',
      {
        name: str('Policy name.', { minLength: 1 }),
        version: str('Policy version.', { minLength: 1 }),
        secretRef: requiredObjectReference('Secret holding the policy files.'),
      },
      { required: ['name', 'version', 'secretRef'] },
    ),
  );

export const gatewayFields = () => ({
  customPolicies: customPolicies(),
  customEnvironments: arr(
    'Environment files: each Secret is mounted at /opt/app-root/src/environments/<secret> and its files listed in APICAST_ENVIRONMENT.',
    obj(
      'One environment Secret.',
      { secretRef: requiredObjectReference('Secret holding environment files.') },
      { required: ['secretRef'] },
    ),
  ),
  openTelemetry: obj('OpenTelemetry tracing (OPENTELEMETRY, OPENTELEMETRY_CONFIG).', {
    enabled: bool('Turns tracing on.'),
    tracingConfigSecretRef: localObjectReference('Secret with the tracing configuration file.'),
    tracingConfigSecretKey: str('Key of that Secret; unset = its first key in lexicographical order.'),
  }),
  httpsPort: int32('APICAST_HTTPS_PORT (8443 when only httpsCertificateSecretRef is set).', { minimum: 1, maximum: 65535 }),
  httpsVerifyDepth: int32('APICAST_HTTPS_VERIFY_DEPTH: longest client certificate chain.', { minimum: 0 }),
  httpsCertificateSecretRef: localObjectReference('kubernetes.io/tls Secret (tls.crt, tls.key) of the HTTPS listener.'),
  allProxy: proxyUrl('ALL_PROXY'),
  httpProxy: proxyUrl('HTTP_PROXY'),
  httpsProxy: proxyUrl('HTTPS_PROXY'),
  noProxy: str('NO_PROXY: comma-separated hosts and domains reached directly (* = all).'),
  serviceCacheSize: int32('APICAST_SERVICE_CACHE_SIZE.', { minimum: 0 }),
  workers: int32('APICAST_WORKERS.', { minimum: 1 }),
  logLevel: str('APICAST_LOG_LEVEL.', { enum: GATEWAY_LOG_LEVELS }),
  // Ours: variables our gateway honours that neither upstream operator exposes yet.
  httpsVerifyClient: str('APICAST_HTTPS_VERIFY_CLIENT: ask HTTPS clients for a certificate (optional_no_ca) or not (off).', {
    enum: ['off', 'optional', 'optional_no_ca'],
  }),
  proxyBufferSize: str('APICAST_PROXY_BUFFER_SIZE: largest upstream response head accepted (e.g. 16k).', { pattern: SIZE }),
  largeClientHeaderBuffers: str(
    'APICAST_LARGE_CLIENT_HEADER_BUFFERS: "<number> <size>" limits of request lines and headers (e.g. 4 12k).',
    { pattern: `^[1-9][0-9]* ${SIZE.slice(1)}` },
  ),
  socketKeepaliveRequests: int32('APICAST_LUA_SOCKET_KEEPALIVE_REQUESTS: requests per kept-alive upstream and backend connection.', {
    minimum: 1,
  }),
  accessLogBuffer: str('APICAST_ACCESS_LOG_BUFFER: access-log write buffer (e.g. 32k).', { pattern: SIZE }),
  batcherSharedMemorySize: str(
    'APICAST_POLICY_BATCHER_SHARED_MEMORY_SIZE: pending 3scale_batcher counters before an early report (e.g. 20m).',
    { pattern: SIZE },
  ),
});
