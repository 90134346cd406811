// apicast.yml: the standalone gateway (operator-objects §7.4). Hand-written in the original with the legacy
// `apiVersion: v1` DeploymentConfig; ours is generated with group versions and built from the same
// constructors as the operator's gateways (env, probes). It deliberately differs from the embedded gateways:
// lower-case `deploymentconfig` selector, ConfigChange trigger only, image straight from the parameter,
// no ServiceAccount, and the portal endpoint from `${CONFIGURATION_URL_SECRET}` (key `password`) — the
// Secret `apicast-configuration-url-secret` every amp*.yml template and the APIManager create.
import type { TemplateParameter } from '../../openshift/index.js';
import type { KubeObject } from '../../components/common/desired.js';
import { fromSecret, literal } from '../../components/common/env.js';
import { httpProbe } from '../../components/common/probes.js';
import { GATEWAY_IMAGE } from '../../model/images.js';
import type { TemplateDefinition } from '../document.js';

const NAME = '${APICAST_NAME}';
const selector = { deploymentconfig: NAME };

/** Env var → parameter, in the original's order (the portal endpoint comes first, from the Secret). */
const LITERAL_ENV: readonly [env: string, parameter: string][] = [
  ['THREESCALE_CONFIG_FILE', 'CONFIGURATION_FILE_PATH'],
  ['THREESCALE_DEPLOYMENT_ENV', 'DEPLOYMENT_ENVIRONMENT'],
  ['RESOLVER', 'RESOLVER'],
  ['APICAST_SERVICES_LIST', 'SERVICES_LIST'],
  ['APICAST_CONFIGURATION_LOADER', 'CONFIGURATION_LOADER'],
  ['APICAST_LOG_LEVEL', 'LOG_LEVEL'],
  ['APICAST_PATH_ROUTING', 'PATH_ROUTING'],
  ['APICAST_RESPONSE_CODES', 'RESPONSE_CODES'],
  ['APICAST_CONFIGURATION_CACHE', 'CONFIGURATION_CACHE'],
  ['REDIS_URL', 'REDIS_URL'],
  ['APICAST_MANAGEMENT_API', 'MANAGEMENT_API'],
  ['OPENSSL_VERIFY', 'OPENSSL_VERIFY'],
];

function objects(): KubeObject[] {
  const deploymentConfig: KubeObject = {
    apiVersion: 'apps.openshift.io/v1',
    kind: 'DeploymentConfig',
    metadata: { name: NAME },
    spec: {
      replicas: 1,
      selector,
      strategy: { type: 'Rolling' },
      template: {
        metadata: { labels: selector, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9421' } },
        spec: {
          containers: [
            {
              name: NAME,
              image: '${AMP_APICAST_IMAGE}',
              imagePullPolicy: 'IfNotPresent',
              env: [
                fromSecret('THREESCALE_PORTAL_ENDPOINT', '${CONFIGURATION_URL_SECRET}', 'password'),
                ...LITERAL_ENV.map(([env, parameter]) => literal(env, `\${${parameter}}`)),
              ],
              ports: [
                { name: 'proxy', containerPort: 8080, protocol: 'TCP' },
                { name: 'management', containerPort: 8090, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9421, protocol: 'TCP' },
              ],
              livenessProbe: httpProbe('/status/live', 'management', { initialDelaySeconds: 10, timeoutSeconds: 1 }),
              readinessProbe: httpProbe('/status/ready', 'management', { initialDelaySeconds: 15, timeoutSeconds: 1 }),
              resources: { limits: { cpu: '1', memory: '128Mi' }, requests: { cpu: '500m', memory: '64Mi' } },
            },
          ],
        },
      },
      triggers: [{ type: 'ConfigChange' }],
    },
  };
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: NAME },
    spec: {
      ports: [
        { name: 'proxy', port: 8080, protocol: 'TCP', targetPort: 8080 },
        { name: 'management', port: 8090, protocol: 'TCP', targetPort: 8090 },
      ],
      selector,
    },
  };
  return [deploymentConfig, service];
}

const p = (name: string, fields: Omit<TemplateParameter, 'name'>): TemplateParameter => ({ name, ...fields });

export const APICAST_PARAMETERS: readonly TemplateParameter[] = [
  p('AMP_RELEASE', { description: 'AMP release tag.', value: '2.9.0', required: true }),
  // Ours: this project's gateway image (README decisions, "images").
  p('AMP_APICAST_IMAGE', { value: GATEWAY_IMAGE, required: true }),
  p('CONFIGURATION_URL_SECRET', { description: 'Name of the secret containing the THREESCALE_PORTAL_ENDPOINT with the access-token or provider key', value: 'apicast-configuration-url-secret', required: true }),
  p('CONFIGURATION_FILE_PATH', { description: 'Path to saved JSON file with configuration for the gateway. Has to be injected to the container image as read only volume.', required: false }),
  p('DEPLOYMENT_ENVIRONMENT', { description: 'Deployment environment. Can be staging or production.', value: 'production', required: true }),
  p('APICAST_NAME', { description: 'Name for the 3scale API Gateway', value: 'apicast', required: true }),
  p('RESOLVER', { description: 'DNS Resolver for openresty, if empty it will be autodiscovered', required: false }),
  p('SERVICES_LIST', { description: 'Subset of services to run. Use comma separated list of service ids (eg. 42,1337)', required: false }),
  p('CONFIGURATION_LOADER', { description: 'When to load configuration. If on gateway start or incoming request. Allowed values are: lazy, boot.', value: 'boot', required: false }),
  p('LOG_LEVEL', { description: 'Log level. One of the following: debug, info, notice, warn, error, crit, alert, or emerg.', required: false }),
  p('PATH_ROUTING', { description: 'Enable path routing. Experimental feature.', value: 'false', required: false }),
  p('RESPONSE_CODES', { description: 'Enable logging response codes to 3scale.', value: 'false', required: false }),
  p('CONFIGURATION_CACHE', { description: 'For how long to cache the downloaded configuration in seconds. Can be left empty, 0 or greater than 60.', value: '', required: false }),
  p('REDIS_URL', { description: 'Redis URL. Required for OAuth2 integration. ex: redis://PASSWORD@127.0.0.1:6379/0', required: false }),
  p('MANAGEMENT_API', { description: 'Scope of the Management API. Can be disabled, status or debug. At least status required for health checks.', value: 'status', required: false }),
  p('OPENSSL_VERIFY', { description: 'Turn on/off the OpenSSL peer verification. Can be set to true/false.', value: 'false', required: true }),
];

export function apicastTemplateDefinition(): TemplateDefinition {
  return {
    file: 'apicast.yml',
    name: '3scale-gateway',
    annotations: {
      'openshift.io/display-name': '3scale APIcast API Gateway',
      'openshift.io/provider-display-name': 'Red Hat, Inc.',
      iconClass: 'icon-3scale',
      description: "3scale's APIcast API gateway (threescale-ts): integrates your internal and external API services with 3scale API Management. Attach it to an installation through the Secret apicast-configuration-url-secret (key password).",
      tags: 'api,gateway,3scale',
    },
    objects: objects(),
    parameters: APICAST_PARAMETERS,
  };
}
