// OpenAPI v3 schema of the APIManager CR (operator.md §1.2: the 2.9.1 fields plus the 2.10–2.16 ones). Source of the CRD and of render's
// validation.
import { APIMANAGER_DEFAULTS as D } from './defaults.js';
import {
  arr,
  bool,
  conditions,
  created,
  int64,
  localObjectReference,
  obj,
  requiredObjectReference,
  resources,
  str,
} from './schema-parts.js';
import { gatewayFields } from './gateway-schema.js';
import { autoscaled, prefixedSchedulingFields, pvc, replicated, schedulingFields } from './workload-schema.js';

const image = (what: string) => str(`${what} image; unset = operator env RELATED_IMAGE_* / *_IMAGE, then the built-in default.`);
const R = D.replicas;

export const APIMANAGER_SPEC_SCHEMA = obj(
  'Desired state of a 3scale API Management installation.',
  {
    wildcardDomain: str('Root DNS domain: portals master.<d>, <tenant>-admin.<d>, <tenant>.<d>; backend route backend-<tenant>.<d>.', {
      minLength: 1,
    }),
    appLabel: str('Value of the app label on every object.', { default: D.appLabel }),
    tenantName: str('Default tenant name (admin portal <tenant>-admin).', { default: D.tenantName }),
    imagePullSecrets: arr(
      'Pull secrets of the amp ServiceAccount (unset = threescale-registry-auth). Names with dockercfg- or token- are refused.',
      localObjectReference('Pull secret.'),
    ),
    imageStreamTagImportInsecure: bool('Sets importPolicy.insecure on every ImageStream tag.', { default: D.imageStreamTagImportInsecure }),
    resourceRequirementsEnabled: bool('false gives every container empty resources (evaluation).', {
      default: D.resourceRequirementsEnabled,
    }),
    apicast: obj(
      'Embedded gateways (apicast-staging, apicast-production).',
      {
        managementAPI: str('APICAST_MANAGEMENT_API of both gateways.', { enum: ['disabled', 'status', 'debug'], default: D.managementAPI }),
        openSSLVerify: bool('OPENSSL_VERIFY of both gateways.', { default: D.openSSLVerify }),
        responseCodes: bool('APICAST_RESPONSE_CODES of both gateways.', { default: D.responseCodes }),
        registryURL: str('Policy registry URL given to system (APICAST_REGISTRY_URL).', { default: D.registryURL }),
        image: image('Gateway'),
        stagingSpec: replicated('apicast-staging workload.', R, gatewayFields()),
        productionSpec: autoscaled('apicast-production workload.', R, gatewayFields()),
      },
      created,
    ),
    backend: obj(
      '3scale backend (listener, worker, cron, redis).',
      {
        image: image('Backend'),
        redisImage: image('Backend Redis (ignored in HA mode)'),
        redisPersistentVolumeClaim: pvc('backend-redis-storage PVC.'),
        ...prefixedSchedulingFields('redis'),
        redisTLSEnabled: bool(
          'Storage Redis over TLS: Secret backend-redis needs REDIS_SSL_CA (+ REDIS_SSL_CERT and REDIS_SSL_KEY for client certificates), mounted under /tls/backend-redis.',
        ),
        queuesTLSEnabled: bool(
          'Queues Redis over TLS: Secret backend-redis needs REDIS_SSL_QUEUES_CA (+ REDIS_SSL_QUEUES_CERT and REDIS_SSL_QUEUES_KEY), mounted under /tls/queues.',
        ),
        listenerSpec: autoscaled('backend-listener workload.', R),
        workerSpec: autoscaled('backend-worker workload.', R),
        cronSpec: replicated('backend-cron workload.', R),
      },
      created,
    ),
    system: obj(
      '3scale system (portals, sidekiq, sphinx, memcache, redis, database).',
      {
        image: image('System'),
        memcachedImage: image('Memcached'),
        ...prefixedSchedulingFields('memcached'),
        redisImage: image('System Redis (ignored in HA mode)'),
        redisPersistentVolumeClaim: pvc('system-redis-storage PVC.'),
        ...prefixedSchedulingFields('redis'),
        redisTLSEnabled: bool(
          'System Redis over TLS: Secret system-redis needs REDIS_SSL_CA (+ REDIS_SSL_CERT and REDIS_SSL_KEY), mounted under /tls/system-redis.',
        ),
        databaseTLSEnabled: bool(
          'System database over TLS: Secret system-database needs DB_SSL_CA (+ DB_SSL_CERT and DB_SSL_KEY; DATABASE_SSL_MODE optional), mounted under /tls/system-database.',
        ),
        fileStorage: obj('Shared file storage; exactly one member may be set (unset = RWX PVC).', {
          persistentVolumeClaim: pvc('ReadWriteMany system-storage PVC.'),
          simpleStorageService: obj(
            'S3 (or compatible) storage.',
            {
              configurationSecretRef: requiredObjectReference(
                'Secret with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_BUCKET, AWS_REGION (+ optional AWS_PROTOCOL, AWS_HOSTNAME, AWS_PATH_STYLE).',
              ),
            },
            { required: ['configurationSecretRef'] },
          ),
          amazonSimpleStorageService: obj(
            'Deprecated (2.6–2.7); ignored by 2.9 with a warning.',
            {
              awsBucket: str('Bucket.'),
              awsRegion: str('Region.'),
              awsCredentialsSecret: obj('Credentials Secret.', { name: str('Secret name.') }, { required: ['name'] }),
            },
            { required: ['awsBucket', 'awsRegion', 'awsCredentialsSecret'] },
          ),
        }),
        database: obj('Internal system database; exactly one member (unset = MySQL). Ignored in HA mode.', {
          mysql: obj('MySQL.', { image: image('MySQL'), persistentVolumeClaim: pvc('mysql-storage PVC.'), ...schedulingFields() }),
          postgresql: obj('PostgreSQL.', {
            image: image('PostgreSQL'),
            persistentVolumeClaim: pvc('postgresql-data PVC.'),
            ...schedulingFields(),
          }),
        }),
        appSpec: replicated('system-app workload (resources = all three containers unless one is named below).', R, {
          masterContainerResources: resources('system-master container resources.'),
          providerContainerResources: resources('system-provider container resources.'),
          developerContainerResources: resources('system-developer container resources.'),
        }),
        sidekiqSpec: replicated('system-sidekiq workload.', R),
        sphinxSpec: obj('system-sphinx scheduling (always 1 replica).', schedulingFields(), created),
      },
      created,
    ),
    zync: obj(
      'Zync (route sync).',
      {
        enabled: bool('false: no zync, zync-que or zync-database; the portal and gateway Routes are then yours to create (unset = true).'),
        image: image('Zync'),
        postgreSQLImage: image('zync-database PostgreSQL'),
        ...prefixedSchedulingFields('database'),
        appSpec: replicated('zync workload.', R),
        queSpec: replicated('zync-que workload.', R),
      },
      created,
    ),
    highAvailability: obj('Deprecated by externalComponents: enabled = external system database, backend redis and system redis.', {
      enabled: bool('All three external (user-provided Secrets backend-redis, system-redis, system-database).'),
      externalZyncDatabaseEnabled: bool('With enabled: the zync database is external too (user-provided Secret zync).'),
    }),
    externalComponents: obj('Each database on its own: true = not deployed, its Secret is provided by the user.', {
      backend: obj('Backend.', { redis: bool('backend-redis (Secret backend-redis).') }),
      system: obj('System.', {
        redis: bool('system-redis (Secret system-redis).'),
        database: bool('system database (Secret system-database).'),
      }),
      zync: obj('Zync.', { database: bool('zync-database (Secret zync with DATABASE_URL).') }),
    }),
    podDisruptionBudget: obj('PodDisruptionBudgets for the scalable workloads.', { enabled: bool('Create PDBs.') }),
    monitoring: obj('PodMonitors, GrafanaDashboards and PrometheusRules.', { enabled: bool('Create monitoring objects.') }),
  },
  { required: ['wildcardDomain'] },
);

export const APIMANAGER_STATUS_SCHEMA = obj('Observed state.', {
  conditions,
  deployments: obj('Workloads by state (OLM podStatuses).', {
    ready: arr('Ready workloads.', str('Workload name.')),
    starting: arr('Starting workloads.', str('Workload name.')),
    stopped: arr('Stopped workloads.', str('Workload name.')),
  }),
  observedGeneration: int64('metadata.generation the status was computed from.'),
});
