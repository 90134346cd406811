// OpenAPI v3 schema of the APIManager CR (operator.md §1.2, the 2.9.1 fields). Source of the CRD and of render's
// validation.
import { APIMANAGER_DEFAULTS as D } from './defaults.js';
import { type JsonSchema, affinity, bool, conditions, created, obj, pvc, replicated, str, tolerations } from './schema-parts.js';

const image = (what: string) => str(`${what} image; unset = operator env RELATED_IMAGE_* / *_IMAGE, then the built-in default.`);
const R = D.replicas;

export const APIMANAGER_SPEC_SCHEMA: JsonSchema = obj(
  'Desired state of a 3scale API Management installation.',
  {
    wildcardDomain: str('Root DNS domain: portals master.<d>, <tenant>-admin.<d>, <tenant>.<d>; backend route backend-<tenant>.<d>.', { minLength: 1 }),
    appLabel: str('Value of the app label on every object.', { default: D.appLabel }),
    tenantName: str('Default tenant name (admin portal <tenant>-admin).', { default: D.tenantName }),
    imageStreamTagImportInsecure: bool('Sets importPolicy.insecure on every ImageStream tag.', { default: D.imageStreamTagImportInsecure }),
    resourceRequirementsEnabled: bool('false gives every container empty resources (evaluation).', { default: D.resourceRequirementsEnabled }),
    apicast: obj('Embedded gateways (apicast-staging, apicast-production).', {
      managementAPI: str('APICAST_MANAGEMENT_API of both gateways.', { enum: ['disabled', 'status', 'debug'], default: D.managementAPI }),
      openSSLVerify: bool('OPENSSL_VERIFY of both gateways.', { default: D.openSSLVerify }),
      responseCodes: bool('APICAST_RESPONSE_CODES of both gateways.', { default: D.responseCodes }),
      registryURL: str("Policy registry URL given to system (APICAST_REGISTRY_URL).", { default: D.registryURL }),
      image: image('Gateway'),
      stagingSpec: replicated('apicast-staging workload.', R),
      productionSpec: replicated('apicast-production workload.', R),
    }, created),
    backend: obj('3scale backend (listener, worker, cron, redis).', {
      image: image('Backend'),
      redisImage: image('Backend Redis (ignored in HA mode)'),
      redisPersistentVolumeClaim: pvc('backend-redis-storage PVC.'),
      redisAffinity: affinity('backend-redis affinity.'),
      redisTolerations: tolerations('backend-redis tolerations.'),
      listenerSpec: replicated('backend-listener workload.', R),
      workerSpec: replicated('backend-worker workload.', R),
      cronSpec: replicated('backend-cron workload.', R),
    }, created),
    system: obj('3scale system (portals, sidekiq, sphinx, memcache, redis, database).', {
      image: image('System'),
      memcachedImage: image('Memcached'),
      memcachedAffinity: affinity('system-memcache affinity.'),
      memcachedTolerations: tolerations('system-memcache tolerations.'),
      redisImage: image('System Redis (ignored in HA mode)'),
      redisPersistentVolumeClaim: pvc('system-redis-storage PVC.'),
      redisAffinity: affinity('system-redis affinity.'),
      redisTolerations: tolerations('system-redis tolerations.'),
      fileStorage: obj('Shared file storage; exactly one member may be set (unset = RWX PVC).', {
        persistentVolumeClaim: pvc('ReadWriteMany system-storage PVC.'),
        simpleStorageService: obj('S3 (or compatible) storage.', {
          configurationSecretRef: {
            type: 'object',
            description: 'Secret with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_BUCKET, AWS_REGION (+ optional AWS_PROTOCOL, AWS_HOSTNAME, AWS_PATH_STYLE).',
            properties: { name: { type: 'string', minLength: 1 } },
            required: ['name'],
          },
        }, { required: ['configurationSecretRef'] }),
        amazonSimpleStorageService: obj('Deprecated (2.6–2.7); ignored by 2.9 with a warning.', {
          awsBucket: str('Bucket.'),
          awsRegion: str('Region.'),
          awsCredentialsSecret: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        }, { required: ['awsBucket', 'awsRegion', 'awsCredentialsSecret'] }),
      }),
      database: obj('Internal system database; exactly one member (unset = MySQL). Ignored in HA mode.', {
        mysql: obj('MySQL.', { image: image('MySQL'), persistentVolumeClaim: pvc('mysql-storage PVC.'), affinity: affinity('Affinity.'), tolerations: tolerations('Tolerations.') }),
        postgresql: obj('PostgreSQL.', { image: image('PostgreSQL'), persistentVolumeClaim: pvc('postgresql-data PVC.'), affinity: affinity('Affinity.'), tolerations: tolerations('Tolerations.') }),
      }),
      appSpec: replicated('system-app workload.', R),
      sidekiqSpec: replicated('system-sidekiq workload.', R),
      sphinxSpec: obj('system-sphinx scheduling (always 1 replica).', { affinity: affinity('Affinity.'), tolerations: tolerations('Tolerations.') }, created),
    }, created),
    zync: obj('Zync (route sync).', {
      image: image('Zync'),
      postgreSQLImage: image('zync-database PostgreSQL'),
      databaseAffinity: affinity('zync-database affinity.'),
      databaseTolerations: tolerations('zync-database tolerations.'),
      appSpec: replicated('zync workload.', R),
      queSpec: replicated('zync-que workload.', R),
    }, created),
    highAvailability: obj('External system database, backend redis and system redis (user-provided Secrets).', { enabled: bool('Enable HA mode.') }),
    podDisruptionBudget: obj('PodDisruptionBudgets for the scalable workloads.', { enabled: bool('Create PDBs.') }),
    monitoring: obj('PodMonitors, GrafanaDashboards and PrometheusRules.', { enabled: bool('Create monitoring objects.') }),
  },
  { required: ['wildcardDomain'] },
);

export const APIMANAGER_STATUS_SCHEMA: JsonSchema = obj('Observed state.', {
  conditions,
  deployments: obj('Workloads by state (OLM podStatuses).', {
    ready: { type: 'array', items: { type: 'string' } },
    starting: { type: 'array', items: { type: 'string' } },
    stopped: { type: 'array', items: { type: 'string' } },
  }),
  observedGeneration: { type: 'integer', format: 'int64' },
});
