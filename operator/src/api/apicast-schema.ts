// OpenAPI v3 schema of the APIcast CR (operator.md §7.1: the 2.9 sixteen fields, then apicast-operator's later ones).
import { APICAST_DEFAULTS } from './defaults.js';
import {
  affinity,
  arr,
  bool,
  conditions,
  int64,
  intOrString,
  localObjectReference,
  obj,
  resources,
  str,
  stringMap,
  tolerations,
  topologySpreadConstraints,
} from './schema-parts.js';
import { gatewayFields } from './gateway-schema.js';

export const APICAST_SPEC_SCHEMA = obj(
  'Desired state of a standalone APIcast gateway.',
  {
    replicas: int64('Deployment replicas.', { default: APICAST_DEFAULTS.replicas, minimum: 0 }),
    adminPortalCredentialsRef: localObjectReference('Secret with key AdminPortalURL (or password) = https://<token>@<admin portal host>.'),
    embeddedConfigurationSecretRef: localObjectReference(
      'Secret with key config.json, mounted at /tmp/gateway-configuration-volume/config.json.',
    ),
    serviceAccount: str('Pod service account.', { default: APICAST_DEFAULTS.serviceAccount }),
    image: str('Gateway image; unset = RELATED_IMAGE_APICAST / APICAST_IMAGE, then the built-in default.'),
    exposedHost: obj(
      'Creates an Ingress apicast-<name> for this host.',
      {
        host: str('Host name.', { minLength: 1 }),
        ingressClassName: str('Ingress spec.ingressClassName.'),
        tls: arr('Ingress spec.tls.', obj('One TLS entry.', { hosts: arr('Hosts.', str('Host.')), secretName: str('TLS Secret.') })),
      },
      { required: ['host'] },
    ),
    deploymentEnvironment: str('THREESCALE_DEPLOYMENT_ENV (staging or production).'),
    dnsResolverAddress: str('RESOLVER.'),
    enabledServices: arr('APICAST_SERVICES_LIST (comma-joined).', str('Service id.')),
    configurationLoadMode: str('APICAST_CONFIGURATION_LOADER.', { enum: ['boot', 'lazy'] }),
    pathRoutingEnabled: bool('APICAST_PATH_ROUTING.'),
    responseCodesIncluded: bool('APICAST_RESPONSE_CODES.'),
    cacheConfigurationSeconds: int64('APICAST_CONFIGURATION_CACHE.'),
    managementAPIScope: str('APICAST_MANAGEMENT_API.', { enum: ['disabled', 'status', 'policies', 'debug'] }),
    openSSLPeerVerificationEnabled: bool('OPENSSL_VERIFY.'),
    resources: resources('Container resources (default requests 500m/64Mi, limits 1/128Mi).'),
    ...gatewayFields(),
    // apicast-operator 0.7+ scaling and scheduling.
    hpa: bool('Create an autoscaling/v2 HorizontalPodAutoscaler (1–5 replicas, 90% CPU and memory); it then owns replicas.'),
    podDisruptionBudget: obj('A PodDisruptionBudget for the gateway pods.', {
      enabled: bool('Create the PodDisruptionBudget.'),
      maxUnavailable: intOrString('Pods that may be down at once (default 1).'),
      minAvailable: intOrString('Pods that must stay up (instead of maxUnavailable).'),
    }),
    affinity: affinity('Pod affinity.'),
    tolerations: tolerations('Pod tolerations.'),
    topologySpreadConstraints: topologySpreadConstraints('Pod topologySpreadConstraints.'),
    priorityClassName: str('Pod priorityClassName.'),
    timezone: str('TZ of the gateway pods (a tz database name such as Europe/Madrid).', {
      pattern: '^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$',
    }),
    caCertificateSecretRef: localObjectReference('Secret with ca-bundle.crt: CAs the gateway trusts (SSL_CERT_FILE).'),
    upstreamRetryCases: str('APICAST_UPSTREAM_RETRY_CASES (space-separated: error timeout invalid_header http_500 ...).'),
    cacheMaxTime: str('APICAST_CACHE_MAX_TIME (e.g. 1m).', { pattern: '^[0-9]+(ms|s|m|h|d|w|M|y)?$' }),
    cacheStatusCodes: str('APICAST_CACHE_STATUS_CODES (space-separated status codes).', { pattern: '^[1-5][0-9]{2}( [1-5][0-9]{2})*$' }),
    oidcLogLevel: str('APICAST_OIDC_LOG_LEVEL.', { enum: ['debug', 'info', 'notice', 'warn', 'err', 'crit', 'alert', 'emerg'] }),
    servicesFilterByURL: str('APICAST_SERVICES_FILTER_BY_URL (a regular expression over the public base URLs).'),
    serviceConfigurationVersionOverride: stringMap('Service id → configuration version (APICAST_SERVICE_<id>_CONFIGURATION_VERSION).'),
    extendedMetrics: bool('APICAST_EXTENDED_METRICS.'),
  },
  { anyOf: [{ required: ['adminPortalCredentialsRef'] }, { required: ['embeddedConfigurationSecretRef'] }] },
);

export const APICAST_STATUS_SCHEMA = obj('Observed state.', {
  image: str('Image of the Deployment first container.'),
  conditions,
  observedGeneration: int64('metadata.generation the status was computed from.'),
});
