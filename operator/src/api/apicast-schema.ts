// OpenAPI v3 schema of the APIcast CR (operator.md §7.1: the 2.9 sixteen fields + workers, resources,
// customPolicies).
import { APICAST_DEFAULTS } from './defaults.js';
import { type JsonSchema, bool, conditions, int32, int64, localObjectReference, obj, resources, str } from './schema-parts.js';

export const APICAST_SPEC_SCHEMA: JsonSchema = obj(
  'Desired state of a standalone APIcast gateway.',
  {
    replicas: int64('Deployment replicas.', { default: APICAST_DEFAULTS.replicas, minimum: 0 }),
    adminPortalCredentialsRef: localObjectReference("Secret with key AdminPortalURL (or password) = https://<token>@<admin portal host>."),
    embeddedConfigurationSecretRef: localObjectReference('Secret with key config.json, mounted at /tmp/gateway-configuration-volume/config.json.'),
    serviceAccount: str('Pod service account.', { default: APICAST_DEFAULTS.serviceAccount }),
    image: str('Gateway image; unset = RELATED_IMAGE_APICAST / APICAST_IMAGE, then the built-in default.'),
    exposedHost: obj('Creates an Ingress apicast-<name> for this host.', {
      host: str('Host name.', { minLength: 1 }),
      tls: {
        type: 'array',
        description: 'Ingress spec.tls.',
        items: { type: 'object', properties: { hosts: { type: 'array', items: { type: 'string' } }, secretName: { type: 'string' } } },
      },
    }, { required: ['host'] }),
    deploymentEnvironment: str('THREESCALE_DEPLOYMENT_ENV (staging or production).'),
    dnsResolverAddress: str('RESOLVER.'),
    enabledServices: { type: 'array', description: 'APICAST_SERVICES_LIST (comma-joined).', items: { type: 'string' } },
    configurationLoadMode: str('APICAST_CONFIGURATION_LOADER.', { enum: ['boot', 'lazy'] }),
    logLevel: str('APICAST_LOG_LEVEL.', { enum: ['debug', 'info', 'notice', 'warn', 'error', 'crit', 'alert', 'emerg'] }),
    pathRoutingEnabled: bool('APICAST_PATH_ROUTING.'),
    responseCodesIncluded: bool('APICAST_RESPONSE_CODES.'),
    cacheConfigurationSeconds: int64('APICAST_CONFIGURATION_CACHE.'),
    managementAPIScope: str('APICAST_MANAGEMENT_API.', { enum: ['disabled', 'status', 'policies', 'debug'] }),
    openSSLPeerVerificationEnabled: bool('OPENSSL_VERIFY.'),
    workers: int32('APICAST_WORKERS.', { minimum: 1 }),
    resources: resources('Container resources (default requests 500m/64Mi, limits 1/128Mi).'),
    customPolicies: {
      type: 'array',
      description: 'Custom policies: Secret with apicast-policy.json and index.js mounted at /opt/app-root/src/policies/<name>/<version>.',
      items: {
        type: 'object',
        required: ['name', 'version', 'secretRef'],
        properties: {
          name: str('Policy name.', { minLength: 1 }),
          version: str('Policy version.', { minLength: 1 }),
          secretRef: localObjectReference('Secret holding the policy.', true),
        },
      },
    },
  },
  { anyOf: [{ required: ['adminPortalCredentialsRef'] }, { required: ['embeddedConfigurationSecretRef'] }] },
);

export const APICAST_STATUS_SCHEMA: JsonSchema = obj('Observed state.', {
  image: str('Image of the Deployment first container.'),
  conditions,
  observedGeneration: { type: 'integer', format: 'int64' },
});
