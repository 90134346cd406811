// Post-processing adapters (operator-objects §7.3, §8): they change objects the builders already returned,
// for what the operator never does (the template creates the S3 and the external-database Secrets from
// parameters; amp-ha runs two replicas of the scalable workloads and has no internal databases).
import type { KubeObject } from '../../components/common/desired.js';
import { S3_SECRET_NAME } from './template-model.js';

type Objects = readonly KubeObject[];

const isNamed = (object: KubeObject, kind: string, name: string): boolean => object.kind === kind && object.metadata.name === name;

/** amp-s3: the `aws-auth` Secret, filled from the AWS_* parameters (no labels, as the original). */
export function addS3Secret(objects: Objects): KubeObject[] {
  const keys = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_BUCKET', 'AWS_REGION', 'AWS_PROTOCOL', 'AWS_HOSTNAME', 'AWS_PATH_STYLE'];
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: S3_SECRET_NAME },
    type: 'Opaque',
    stringData: Object.fromEntries(keys.map((key) => [key, `\${${key}}`])),
  };
  return [...objects, secret];
}

/** Objects of the internal databases that amp-ha does not deploy. */
const HA_REMOVED: readonly [kind: string, name: string][] = [
  ['DeploymentConfig', 'backend-redis'], ['Service', 'backend-redis'], ['ImageStream', 'backend-redis'],
  ['DeploymentConfig', 'system-redis'], ['Service', 'system-redis'], ['ImageStream', 'system-redis'],
  ['DeploymentConfig', 'system-mysql'], ['Service', 'system-mysql'], ['ImageStream', 'system-mysql'],
  ['PersistentVolumeClaim', 'backend-redis-storage'], ['PersistentVolumeClaim', 'system-redis-storage'], ['PersistentVolumeClaim', 'mysql-storage'],
  ['ConfigMap', 'redis-config'], ['ConfigMap', 'mysql-main-conf'], ['ConfigMap', 'mysql-extra-conf'],
];

/** amp-ha keeps one replica of these (not scalable); every other DeploymentConfig runs two. */
const HA_SINGLE_REPLICA = new Set(['system-memcache', 'system-sphinx', 'zync-database']);

/** The external-database Secrets of amp-ha, key → value (operator-objects §6, HA column). */
const HA_SECRET_DATA: Readonly<Record<string, Record<string, string>>> = {
  'backend-redis': {
    REDIS_STORAGE_URL: '${BACKEND_REDIS_STORAGE_ENDPOINT}',
    REDIS_QUEUES_URL: '${BACKEND_REDIS_QUEUES_ENDPOINT}',
    REDIS_STORAGE_SENTINEL_HOSTS: '${BACKEND_REDIS_STORAGE_SENTINEL_HOSTS}',
    REDIS_STORAGE_SENTINEL_ROLE: '${BACKEND_REDIS_STORAGE_SENTINEL_ROLE}',
    // The parameter is singular (QUEUE) while the key is plural (QUEUES), as in the original.
    REDIS_QUEUES_SENTINEL_HOSTS: '${BACKEND_REDIS_QUEUE_SENTINEL_HOSTS}',
    REDIS_QUEUES_SENTINEL_ROLE: '${BACKEND_REDIS_QUEUE_SENTINEL_ROLE}',
  },
  'system-redis': {
    URL: '${SYSTEM_REDIS_URL}',
    SENTINEL_HOSTS: '${SYSTEM_REDIS_SENTINEL_HOSTS}',
    SENTINEL_ROLE: '${SYSTEM_REDIS_SENTINEL_ROLE}',
    MESSAGE_BUS_URL: '${SYSTEM_MESSAGE_BUS_REDIS_URL}',
    MESSAGE_BUS_SENTINEL_HOSTS: '${SYSTEM_MESSAGE_BUS_REDIS_SENTINEL_HOSTS}',
    MESSAGE_BUS_SENTINEL_ROLE: '${SYSTEM_MESSAGE_BUS_REDIS_SENTINEL_ROLE}',
    NAMESPACE: '${SYSTEM_REDIS_NAMESPACE}',
    MESSAGE_BUS_NAMESPACE: '${SYSTEM_MESSAGE_BUS_REDIS_NAMESPACE}',
  },
  // The HA template's system-database holds only the URL of the external database.
  'system-database': { URL: '${SYSTEM_DATABASE_URL}' },
};

function rewriteSecret(object: KubeObject): KubeObject {
  const data = object.kind === 'Secret' ? HA_SECRET_DATA[object.metadata.name] : undefined;
  return data === undefined ? object : { ...object, stringData: { ...data } };
}

function bumpReplicas(object: KubeObject): KubeObject {
  if (object.kind !== 'DeploymentConfig' || HA_SINGLE_REPLICA.has(object.metadata.name)) return object;
  const spec = object.spec as Record<string, unknown>;
  return { ...object, spec: { ...spec, replicas: 2 } };
}

/**
 * amp-ha: drop the internal databases, fill the redis and database Secrets from the external-database
 * parameters, two replicas for the scalable DeploymentConfigs. Fails loudly when an expected object is
 * missing, so that a builder change cannot silently leave an internal database in the HA template.
 */
export function highAvailability(objects: Objects): KubeObject[] {
  for (const [kind, name] of HA_REMOVED) {
    if (!objects.some((o) => isNamed(o, kind, name))) throw new Error(`amp-ha adapter: ${kind} ${name} not found among the built objects`);
  }
  for (const name of Object.keys(HA_SECRET_DATA)) {
    if (!objects.some((o) => isNamed(o, 'Secret', name))) throw new Error(`amp-ha adapter: Secret ${name} not found among the built objects`);
  }
  return objects
    .filter((o) => !HA_REMOVED.some(([kind, name]) => isNamed(o, kind, name)))
    .map((o) => bumpReplicas(rewriteSecret(o)));
}
