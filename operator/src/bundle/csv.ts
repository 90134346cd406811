// The ClusterServiceVersion of our OLM bundle (operator.md §8.3, README decisions "OLM bundle" and
// "namespace scope"). Decision (§8.1 asks to state it): ONE package, `threescale-operator`, owning both CRDs
// (APIManager and APIcast), since one operator process serves both; channel `stable`.
// Pure: everything comes from the operator's own sources (RBAC rules, the Deployment of manifests/deploy,
// the image defaults, the CRDs), so the bundle cannot drift from what `run` needs.
import { LEADER_ELECTION_RULES, OPERATOR_RULES, type PolicyRule } from '../rbac/rules.js';
import { SERVICE_ACCOUNT, operatorDeployment } from '../deploy/manifests.js';
import { DEFAULT_OPERATOR_IMAGE } from '../deploy/command.js';
import { IMAGE_SOURCES } from '../model/images.js';
import type { ApiManagerImages } from '../model/types.js';
import { OPERATOR_PACKAGE_VERSION } from '../model/version.js';
import { CSV_ICON } from './icon.js';
import { ALM_EXAMPLES } from './examples.js';
import { capabilityOwnedCrds } from './capability-crds.js';
import { withComponentDescriptors, withTopLevelDescriptors } from './descriptors.js';
import { APIMANAGER_SPEC_SCHEMA } from '../api/apimanager-schema.js';
import { APICAST_SPEC_SCHEMA } from '../api/apicast-schema.js';

export const PACKAGE_NAME = 'threescale-operator';
// OLM's channel-naming convention (stable/fast/candidate prefixes, checked by the
// good-practices validator); the original's `threescale-2.9` breaks it.
export const CHANNEL = 'stable';
export const CSV_NAME = `${PACKAGE_NAME}.v${OPERATOR_PACKAGE_VERSION}`;
export const REPOSITORY_URL = 'https://github.com/threescale-ts/threescale-ts';
/** Fixed, not the build time: the generated bundle must be byte-identical between runs (staleness test). */
export const CREATED_AT = '2026-11-23T00:00:00Z';
/** Pod Security "restricted" admission and policy/v1 PDBs need at least 1.25. */
export const MIN_KUBE_VERSION = '1.25.0';

type Obj = Record<string, unknown>;

const copyRules = (rules: readonly PolicyRule[]): PolicyRule[] => rules.map((r) => structuredClone(r));

/** RELATED_IMAGE_<X> for every component image (OLM disconnected installs mirror these). */
export function relatedImageEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of Object.keys(IMAGE_SOURCES) as (keyof ApiManagerImages)[]) env[IMAGE_SOURCES[key].related] = IMAGE_SOURCES[key].builtIn;
  return env;
}

/** The operator Deployment of manifests/deploy, watching the OperatorGroup's target namespaces. */
function csvDeploymentSpec(): Obj {
  const deployment = operatorDeployment({ image: DEFAULT_OPERATOR_IMAGE, relatedImages: relatedImageEnv() }, 'namespaced');
  const spec = structuredClone(deployment.spec) as { template: { spec: { containers: { env: Obj[] }[] } } };
  for (const container of spec.template.spec.containers) {
    container.env = container.env.map((e) =>
      e.name === 'WATCH_NAMESPACE'
        ? // OLM writes the OperatorGroup's namespaces here: one, a comma-separated list, or '' for all.
          { name: 'WATCH_NAMESPACE', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['olm.targetNamespaces']" } } }
        : e,
    );
  }
  return spec;
}

const DESCRIPTION = [
  'The 3scale operator (threescale-ts) installs and runs Red Hat 3scale API Management 2.9 and standalone',
  'APIcast gateways from custom resources.',
  '',
  '* **APIManager**: the whole platform (system, backend, zync, the APIcast staging and production gateways,',
  '  their databases), with high availability (external databases, Redis Sentinel), S3 file storage,',
  '  PostgreSQL or Oracle system databases, pod disruption budgets and monitoring.',
  '* **APIcast**: a standalone gateway attached to an admin portal, with custom policies.',
  '',
  'On OpenShift it deploys DeploymentConfigs, Routes and ImageStreams; on plain Kubernetes, Deployments and',
  'Ingresses. Operator-created Secrets are only completed with missing keys, never changed; user Secrets are',
  'read-only and validated.',
].join('\n');

export function clusterServiceVersion(): Obj {
  return {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'ClusterServiceVersion',
    metadata: {
      name: CSV_NAME,
      namespace: 'placeholder',
      annotations: {
        'alm-examples': JSON.stringify(ALM_EXAMPLES, null, 2),
        capabilities: 'Full Lifecycle',
        categories: 'Integration & Delivery',
        certified: 'false',
        containerImage: DEFAULT_OPERATOR_IMAGE,
        createdAt: CREATED_AT,
        description: '3scale API Management (APIManager) and standalone APIcast gateways (APIcast) on OpenShift and Kubernetes',
        repository: REPOSITORY_URL,
        support: 'threescale-ts',
        'operators.openshift.io/infrastructure-features': '["disconnected"]',
      },
      labels: { 'operatorframework.io/arch.amd64': 'supported', 'operatorframework.io/os.linux': 'supported' },
    },
    spec: {
      displayName: '3scale',
      description: DESCRIPTION,
      keywords: ['3scale', 'API', 'API management', 'API gateway', 'APIcast'],
      provider: { name: 'threescale-ts' },
      maintainers: [{ name: 'threescale-ts maintainers', email: 'maintainers@threescale-ts.invalid' }],
      links: [
        { name: 'Source', url: REPOSITORY_URL },
        { name: 'OpenShift templates', url: `${REPOSITORY_URL}/tree/main/templates` },
      ],
      icon: CSV_ICON,
      maturity: 'alpha',
      version: OPERATOR_PACKAGE_VERSION,
      minKubeVersion: MIN_KUBE_VERSION,
      installModes: ['OwnNamespace', 'SingleNamespace', 'MultiNamespace', 'AllNamespaces'].map((type) => ({ type, supported: true })),
      customresourcedefinitions: {
        owned: [
          {
            name: 'apimanagers.apps.3scale.net',
            version: 'v1alpha1',
            kind: 'APIManager',
            displayName: 'APIManager',
            description: 'A 3scale API Management installation',
            resources: [
              { kind: 'DeploymentConfig', name: '', version: 'apps.openshift.io/v1' },
              { kind: 'Deployment', name: '', version: 'apps/v1' },
              { kind: 'PersistentVolumeClaim', name: '', version: 'v1' },
              { kind: 'Service', name: '', version: 'v1' },
              { kind: 'Route', name: '', version: 'route.openshift.io/v1' },
              { kind: 'Ingress', name: '', version: 'networking.k8s.io/v1' },
              { kind: 'ImageStream', name: '', version: 'image.openshift.io/v1' },
              { kind: 'Job', name: '', version: 'batch/v1' },
              { kind: 'Secret', name: '', version: 'v1' },
              { kind: 'ConfigMap', name: '', version: 'v1' },
              { kind: 'HorizontalPodAutoscaler', name: '', version: 'autoscaling/v2' },
              { kind: 'PodDisruptionBudget', name: '', version: 'policy/v1' },
            ],
            specDescriptors: withTopLevelDescriptors(
              APIMANAGER_SPEC_SCHEMA,
              withComponentDescriptors(APIMANAGER_SPEC_SCHEMA, [
                {
                  path: 'wildcardDomain',
                  displayName: 'Wildcard Domain',
                  description: 'Root domain of every route',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:label'],
                },
                {
                  path: 'imagePullSecrets',
                  displayName: 'Image Pull Secrets',
                  description: 'Pull secrets of the amp ServiceAccount',
                  'x-descriptors': ['urn:alm:descriptor:io.kubernetes:Secret'],
                },
                {
                  path: 'apicast.productionSpec.hpa',
                  displayName: 'APIcast Production Autoscaling',
                  description: 'HorizontalPodAutoscaler for apicast-production',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
                },
                {
                  path: 'backend.listenerSpec.hpa',
                  displayName: 'Backend Listener Autoscaling',
                  description: 'HorizontalPodAutoscaler for backend-listener',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
                },
                {
                  path: 'backend.workerSpec.hpa',
                  displayName: 'Backend Worker Autoscaling',
                  description: 'HorizontalPodAutoscaler for backend-worker',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
                },
                {
                  path: 'externalComponents.backend.redis',
                  displayName: 'External Backend Redis',
                  description: 'Use the backend-redis Secret you provide',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
                },
                {
                  path: 'externalComponents.system.redis',
                  displayName: 'External System Redis',
                  description: 'Use the system-redis Secret you provide',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
                },
                {
                  path: 'externalComponents.system.database',
                  displayName: 'External System Database',
                  description: 'Use the system-database Secret you provide',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
                },
                {
                  path: 'externalComponents.zync.database',
                  displayName: 'External Zync Database',
                  description: 'Use the zync Secret you provide',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
                },
                {
                  path: 'backend.redisTLSEnabled',
                  displayName: 'Backend Redis TLS',
                  description: 'TLS to the storage Redis (backend-redis REDIS_SSL_CA, optional REDIS_SSL_CERT/KEY)',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
                },
                {
                  path: 'backend.queuesTLSEnabled',
                  displayName: 'Backend Queues Redis TLS',
                  description: 'TLS to the queues Redis (backend-redis REDIS_SSL_QUEUES_CA, optional _CERT/_KEY)',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
                },
                {
                  path: 'system.redisTLSEnabled',
                  displayName: 'System Redis TLS',
                  description: 'TLS to the system Redis (system-redis REDIS_SSL_CA, optional REDIS_SSL_CERT/KEY)',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
                },
                {
                  path: 'system.databaseTLSEnabled',
                  displayName: 'System Database TLS',
                  description: 'TLS to the system database (system-database DB_SSL_CA, optional DB_SSL_CERT/KEY)',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
                },
                {
                  path: 'zync.enabled',
                  displayName: 'Zync',
                  description: 'Deploy zync (false: you create the portal Routes)',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
                },
                {
                  path: 'apicast.productionSpec.customPolicies',
                  displayName: 'Production Gateway Custom Policies',
                  description: 'Policies mounted from Secrets',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:advanced'],
                },
                {
                  path: 'apicast.productionSpec.openTelemetry.enabled',
                  displayName: 'Production Gateway Tracing',
                  description: 'OpenTelemetry tracing of the production gateway',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
                },
                {
                  path: 'apicast.productionSpec.openTelemetry.tracingConfigSecretRef',
                  displayName: 'Production Gateway Tracing Config',
                  description: 'Secret with the tracing configuration',
                  'x-descriptors': ['urn:alm:descriptor:io.kubernetes:Secret'],
                },
                {
                  path: 'apicast.productionSpec.httpsCertificateSecretRef',
                  displayName: 'Production Gateway TLS',
                  description: 'TLS Secret of the HTTPS listener',
                  'x-descriptors': ['urn:alm:descriptor:io.kubernetes:Secret'],
                },
                {
                  path: 'apicast.productionSpec.resources',
                  displayName: 'Production Gateway Resources',
                  description: 'Container resources',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:resourceRequirements'],
                },
                {
                  path: 'apicast.stagingSpec.resources',
                  displayName: 'Staging Gateway Resources',
                  description: 'Container resources',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:resourceRequirements'],
                },
                {
                  path: 'backend.listenerSpec.resources',
                  displayName: 'Backend Listener Resources',
                  description: 'Container resources',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:resourceRequirements'],
                },
                {
                  path: 'backend.workerSpec.resources',
                  displayName: 'Backend Worker Resources',
                  description: 'Container resources',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:resourceRequirements'],
                },
                {
                  path: 'system.appSpec.resources',
                  displayName: 'System App Resources',
                  description: 'Resources of the three system-app containers',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:resourceRequirements'],
                },
                {
                  path: 'system.sidekiqSpec.resources',
                  displayName: 'System Sidekiq Resources',
                  description: 'Container resources',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:resourceRequirements'],
                },
                {
                  path: 'podDisruptionBudget.enabled',
                  displayName: 'Pod Disruption Budgets',
                  description: 'PDBs for the scalable workloads',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
                },
                {
                  path: 'monitoring.enabled',
                  displayName: 'Monitoring',
                  description: 'PodMonitors, dashboards and alert rules',
                  'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
                },
              ]),
            ),
            statusDescriptors: [
              {
                path: 'deployments',
                displayName: 'Deployments',
                description: 'Workloads by state',
                'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:podStatuses'],
              },
              {
                path: 'conditions',
                displayName: 'Conditions',
                description: 'Available, Degraded, Preflights, DeploymentsAvailable, RoutesReady, SecretsAvailable and Warning',
                'x-descriptors': ['urn:alm:descriptor:io.kubernetes.conditions'],
              },
            ],
          },
          {
            name: 'apicasts.apps.3scale.net',
            version: 'v1alpha1',
            kind: 'APIcast',
            displayName: 'APIcast',
            description: 'A standalone APIcast gateway',
            resources: [
              { kind: 'Deployment', name: '', version: 'apps/v1' },
              { kind: 'Service', name: '', version: 'v1' },
              { kind: 'Ingress', name: '', version: 'networking.k8s.io/v1' },
              { kind: 'Secret', name: '', version: 'v1' },
            ],
            specDescriptors: withTopLevelDescriptors(APICAST_SPEC_SCHEMA, [
              {
                path: 'adminPortalCredentialsRef',
                displayName: 'Admin Portal Credentials',
                description: 'Secret with the admin portal URL and token',
                'x-descriptors': ['urn:alm:descriptor:io.kubernetes:Secret'],
              },
              {
                path: 'replicas',
                displayName: 'Replicas',
                description: 'Gateway replicas',
                'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:podCount'],
              },
              {
                path: 'embeddedConfigurationSecretRef',
                displayName: 'Embedded Configuration',
                description: 'Secret with config.json',
                'x-descriptors': ['urn:alm:descriptor:io.kubernetes:Secret'],
              },
              {
                path: 'hpa',
                displayName: 'Autoscaling',
                description: 'HorizontalPodAutoscaler for the gateway',
                'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
              },
              {
                path: 'podDisruptionBudget.enabled',
                displayName: 'Pod Disruption Budget',
                description: 'PDB for the gateway pods',
                'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
              },
              {
                path: 'resources',
                displayName: 'Resources',
                description: 'Container resources',
                'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:resourceRequirements'],
              },
              {
                path: 'httpsCertificateSecretRef',
                displayName: 'HTTPS Certificate',
                description: 'TLS Secret of the HTTPS listener',
                'x-descriptors': ['urn:alm:descriptor:io.kubernetes:Secret'],
              },
              {
                path: 'caCertificateSecretRef',
                displayName: 'CA Certificate',
                description: 'Secret with ca-bundle.crt the gateway trusts',
                'x-descriptors': ['urn:alm:descriptor:io.kubernetes:Secret'],
              },
              {
                path: 'openTelemetry.enabled',
                displayName: 'Tracing',
                description: 'OpenTelemetry tracing',
                'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
              },
              {
                path: 'openTelemetry.tracingConfigSecretRef',
                displayName: 'Tracing Config',
                description: 'Secret with the tracing configuration',
                'x-descriptors': ['urn:alm:descriptor:io.kubernetes:Secret'],
              },
              {
                path: 'timezone',
                displayName: 'Time Zone',
                description: 'TZ of the gateway pods',
                'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:text'],
              },
            ]),
            statusDescriptors: [
              { path: 'image', displayName: 'Image', description: 'Image of the gateway', 'x-descriptors': ['urn:alm:descriptor:text'] },
              {
                path: 'conditions',
                displayName: 'Conditions',
                description: 'Available, Ready and Warning conditions',
                'x-descriptors': ['urn:alm:descriptor:io.kubernetes.conditions'],
              },
            ],
          },
          ...capabilityOwnedCrds(),
        ],
      },
      install: {
        strategy: 'deployment',
        spec: {
          permissions: [
            { serviceAccountName: SERVICE_ACCOUNT, rules: [...copyRules(OPERATOR_RULES), ...copyRules(LEADER_ELECTION_RULES)] },
          ],
          // README decisions ("namespace scope"): what AllNamespaces needs, cluster-wide.
          clusterPermissions: [{ serviceAccountName: SERVICE_ACCOUNT, rules: copyRules(OPERATOR_RULES) }],
          deployments: [{ name: SERVICE_ACCOUNT, spec: csvDeploymentSpec() }],
        },
      },
      relatedImages: [
        { name: 'threescale-operator', image: DEFAULT_OPERATOR_IMAGE },
        ...Object.entries(relatedImageEnv()).map(([env, image]) => ({
          name: env
            .replace(/^RELATED_IMAGE_/, '')
            .toLowerCase()
            .replace(/_/g, '-'),
          image,
        })),
      ],
    },
  };
}
