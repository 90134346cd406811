// OpenAPI v3 schema of the APIcast CR (operator.md §7.1: the 2.9 sixteen fields + workers, resources,
// customPolicies).
import { APICAST_DEFAULTS } from './defaults.js';
import { arr, bool, conditions, int32, int64, localObjectReference, obj, requiredObjectReference, resources, str } from './schema-parts.js';

export const APICAST_SPEC_SCHEMA = obj(
  'Desired state of a standalone APIcast gateway.',
  {
    replicas: int64('Deployment replicas.', { default: APICAST_DEFAULTS.replicas, minimum: 0 }),
    adminPortalCredentialsRef: localObjectReference("Secret with key AdminPortalURL (or password) = https://<token>@<admin portal host>."),
    embeddedConfigurationSecretRef: localObjectReference('Secret with key config.json, mounted at /tmp/gateway-configuration-volume/config.json.'),
    serviceAccount: str('Pod service account.', { default: APICAST_DEFAULTS.serviceAccount }),
    image: str('Gateway image; unset = RELATED_IMAGE_APICAST / APICAST_IMAGE, then the built-in default.'),
    exposedHost: obj('Creates an Ingress apicast-<name> for this host.', {
      host: str('Host name.', { minLength: 1 }),
      tls: arr('Ingress spec.tls.', obj('One TLS entry.', { hosts: arr('Hosts.', str('Host.')), secretName: str('TLS Secret.') })),
    }, { required: ['host'] }),
    deploymentEnvironment: str('THREESCALE_DEPLOYMENT_ENV (staging or production).'),
    dnsResolverAddress: str('RESOLVER.'),
    enabledServices: arr('APICAST_SERVICES_LIST (comma-joined).', str('Service id.')),
    configurationLoadMode: str('APICAST_CONFIGURATION_LOADER.', { enum: ['boot', 'lazy'] }),
    logLevel: str('APICAST_LOG_LEVEL.', { enum: ['debug', 'info', 'notice', 'warn', 'error', 'crit', 'alert', 'emerg'] }),
    pathRoutingEnabled: bool('APICAST_PATH_ROUTING.'),
    responseCodesIncluded: bool('APICAST_RESPONSE_CODES.'),
    cacheConfigurationSeconds: int64('APICAST_CONFIGURATION_CACHE.'),
    managementAPIScope: str('APICAST_MANAGEMENT_API.', { enum: ['disabled', 'status', 'policies', 'debug'] }),
    openSSLPeerVerificationEnabled: bool('OPENSSL_VERIFY.'),
    workers: int32('APICAST_WORKERS.', { minimum: 1 }),
    resources: resources('Container resources (default requests 500m/64Mi, limits 1/128Mi).'),
    customPolicies: arr(
      'Custom policies: Secret with apicast-policy.json and index.js mounted at /opt/app-root/src/policies/<name>/<version>.',
      obj('One custom policy.', {
        name: str('Policy name.', { minLength: 1 }),
        version: str('Policy version.', { minLength: 1 }),
        secretRef: requiredObjectReference('Secret holding the policy.'),
      }, { required: ['name', 'version', 'secretRef'] }),
    ),
  },
  { anyOf: [{ required: ['adminPortalCredentialsRef'] }, { required: ['embeddedConfigurationSecretRef'] }] },
);

export const APICAST_STATUS_SCHEMA = obj('Observed state.', {
  image: str('Image of the Deployment first container.'),
  conditions,
  observedGeneration: int64('metadata.generation the status was computed from.'),
});
