// The object set per mode against operator-objects §2 / operator.md §3 (names, kinds, order, counts).
import assert from 'node:assert/strict';
import { build } from '../testing/build.js';

const DEFAULT_INVENTORY = `ImageStream amp-backend
ImageStream amp-zync
ImageStream amp-apicast
ImageStream amp-system
ImageStream zync-database-postgresql
ImageStream system-memcached
ServiceAccount amp
ImageStream system-mysql
DeploymentConfig backend-redis
Service backend-redis
ConfigMap redis-config
PersistentVolumeClaim backend-redis-storage
ImageStream backend-redis
DeploymentConfig system-redis
PersistentVolumeClaim system-redis-storage
Service system-redis
ImageStream system-redis
DeploymentConfig backend-cron
DeploymentConfig backend-listener
Service backend-listener
Route backend
DeploymentConfig backend-worker
ConfigMap backend-environment
Secret backend-internal-api
Secret backend-redis
Secret backend-listener
DeploymentConfig system-mysql
Service system-mysql
ConfigMap mysql-main-conf
ConfigMap mysql-extra-conf
PersistentVolumeClaim mysql-storage
Secret system-database
DeploymentConfig system-memcache
PersistentVolumeClaim system-storage
Service system-provider
Service system-master
Service system-developer
Service system-sphinx
Service system-memcache
ConfigMap system
Secret system-smtp
ConfigMap system-environment
DeploymentConfig system-app
DeploymentConfig system-sidekiq
DeploymentConfig system-sphinx
Secret system-events-hook
Secret system-redis
Secret system-master-apicast
Secret system-seed
Secret system-recaptcha
Secret system-app
Secret system-memcache
Role zync-que-role
ServiceAccount zync-que-sa
RoleBinding zync-que-rolebinding
DeploymentConfig zync
DeploymentConfig zync-que
DeploymentConfig zync-database
Service zync
Service zync-database
Secret zync
DeploymentConfig apicast-staging
DeploymentConfig apicast-production
Service apicast-staging
Service apicast-production
ConfigMap apicast-environment
Secret apicast-configuration-url-secret`.split('\n');

const listed = (spec: Parameters<typeof build>[0] = {}, options: Parameters<typeof build>[1] = {}) =>
  build(spec, options).objects.map((o) => `${o.object.kind} ${o.object.metadata.name}`);

describe('APIManager object inventory', () => {
  it('default mode builds the 67 objects of operator-objects §2 in inventory order', () => {
    assert.deepEqual(listed(), DEFAULT_INVENTORY);
  });

  it('HA mode drops internal redis/database objects and the three user-provided secrets', () => {
    const removed = new Set([
      'DeploymentConfig backend-redis',
      'Service backend-redis',
      'ImageStream backend-redis',
      'PersistentVolumeClaim backend-redis-storage',
      'DeploymentConfig system-redis',
      'Service system-redis',
      'ImageStream system-redis',
      'PersistentVolumeClaim system-redis-storage',
      'DeploymentConfig system-mysql',
      'Service system-mysql',
      'ImageStream system-mysql',
      'PersistentVolumeClaim mysql-storage',
      'ConfigMap redis-config',
      'ConfigMap mysql-main-conf',
      'ConfigMap mysql-extra-conf',
      'Secret system-database',
      'Secret backend-redis',
      'Secret system-redis',
    ]);
    assert.deepEqual(
      listed({ highAvailability: { enabled: true } }),
      DEFAULT_INVENTORY.filter((o) => !removed.has(o)),
    );
  });

  it('HA mode ignores spec.system.database (forced to nil)', () => {
    assert.deepEqual(
      listed({ highAvailability: { enabled: true }, system: { database: { postgresql: {} } } }),
      listed({ highAvailability: { enabled: true } }),
    );
  });

  it('externalComponents drops each database on its own; all three together equal HA mode', () => {
    const backendRedis = new Set([
      'DeploymentConfig backend-redis',
      'Service backend-redis',
      'ImageStream backend-redis',
      'PersistentVolumeClaim backend-redis-storage',
      'Secret backend-redis',
    ]);
    assert.deepEqual(
      listed({ externalComponents: { backend: { redis: true } } }),
      DEFAULT_INVENTORY.filter((o) => !backendRedis.has(o)),
    );
    const systemDb = new Set([
      'DeploymentConfig system-mysql',
      'Service system-mysql',
      'ImageStream system-mysql',
      'PersistentVolumeClaim mysql-storage',
      'ConfigMap mysql-main-conf',
      'ConfigMap mysql-extra-conf',
      'Secret system-database',
    ]);
    assert.deepEqual(
      listed({ externalComponents: { system: { database: true } } }),
      DEFAULT_INVENTORY.filter((o) => !systemDb.has(o)),
    );
    assert.deepEqual(
      listed({ externalComponents: { backend: { redis: true }, system: { redis: true, database: true } } }),
      listed({ highAvailability: { enabled: true } }),
    );
  });

  it('an external zync database drops zync-database, its image stream and the generated zync Secret', () => {
    const zyncDb = new Set([
      'DeploymentConfig zync-database',
      'Service zync-database',
      'ImageStream zync-database-postgresql',
      'Secret zync',
    ]);
    assert.deepEqual(
      listed({ externalComponents: { zync: { database: true } } }),
      DEFAULT_INVENTORY.filter((o) => !zyncDb.has(o)),
    );
    assert.deepEqual(
      listed({ highAvailability: { enabled: true, externalZyncDatabaseEnabled: true } }),
      listed({ highAvailability: { enabled: true } }).filter((o) => !zyncDb.has(o)),
    );
  });

  it('zync.enabled false drops every zync object and lists it for deletion, keeping the zync Secret system reads', () => {
    const removed = new Set([
      'DeploymentConfig zync',
      'DeploymentConfig zync-que',
      'DeploymentConfig zync-database',
      'Service zync',
      'Service zync-database',
      'ServiceAccount zync-que-sa',
      'Role zync-que-role',
      'RoleBinding zync-que-rolebinding',
      'ImageStream amp-zync',
      'ImageStream zync-database-postgresql',
    ]);
    assert.deepEqual(
      listed({ zync: { enabled: false } }),
      DEFAULT_INVENTORY.filter((o) => !removed.has(o)),
    );
    assert.ok(listed({ zync: { enabled: false } }).includes('Secret zync'));
    const absent = build({ zync: { enabled: false } }).absent.map((r) => `${r.kind} ${r.name}`);
    for (const o of removed) assert.ok(absent.includes(o), `${o} listed for deletion`);
    assert.ok(
      !build({ zync: { enabled: false }, podDisruptionBudget: { enabled: true } }).objects.some(
        (o) => o.object.metadata.name === 'zync-que',
      ),
    );
  });

  it('S3 mode drops only the system-storage PVC', () => {
    const s3 = listed({ system: { fileStorage: { simpleStorageService: { configurationSecretRef: { name: 'my-s3' } } } } });
    assert.deepEqual(
      s3,
      DEFAULT_INVENTORY.filter((o) => o !== 'PersistentVolumeClaim system-storage'),
    );
  });

  it('PostgreSQL mode swaps the MySQL objects for system-postgresql ones', () => {
    const pg = listed({ system: { database: { postgresql: {} } } });
    assert.ok(!pg.some((o) => o.includes('mysql')), 'no mysql object');
    for (const o of [
      'DeploymentConfig system-postgresql',
      'Service system-postgresql',
      'PersistentVolumeClaim postgresql-data',
      'ImageStream system-postgresql',
      'Secret system-database',
    ]) {
      assert.ok(pg.includes(o), o);
    }
    assert.equal(pg.length, 65);
  });

  it('PDBs only when enabled, otherwise listed for deletion', () => {
    const on = build({ podDisruptionBudget: { enabled: true } });
    const pdbs = on.objects.filter((o) => o.object.kind === 'PodDisruptionBudget').map((o) => o.object.metadata.name);
    assert.deepEqual(pdbs, [
      'backend-worker',
      'backend-cron',
      'backend-listener',
      'system-app',
      'system-sidekiq',
      'zync',
      'zync-que',
      'apicast-staging',
      'apicast-production',
    ]);
    const off = build();
    assert.equal(off.objects.filter((o) => o.object.kind === 'PodDisruptionBudget').length, 0);
    assert.equal(off.absent.filter((r) => r.kind === 'PodDisruptionBudget').length, 9);
  });

  it('monitoring adds 7 PodMonitors, 7 GrafanaDashboards and 7 PrometheusRules', () => {
    const on = build({ monitoring: { enabled: true } });
    for (const kind of ['PodMonitor', 'GrafanaDashboard', 'PrometheusRule']) {
      assert.equal(on.objects.filter((o) => o.object.kind === kind).length, 7, kind);
    }
    assert.equal(on.objects.length, 67 + 21);
    assert.equal(build().absent.filter((r) => r.kind !== 'PodDisruptionBudget' && r.kind !== 'HorizontalPodAutoscaler').length, 21);
  });

  it('every object has the app label except ServiceAccounts, Role and RoleBinding', () => {
    for (const { object } of build({ monitoring: { enabled: true }, podDisruptionBudget: { enabled: true } }).objects) {
      if (['ServiceAccount', 'Role', 'RoleBinding'].includes(object.kind))
        assert.equal(object.metadata.labels, undefined, object.metadata.name);
      else assert.equal(object.metadata.labels?.app, '3scale-api-management', `${object.kind} ${object.metadata.name}`);
    }
  });

  it('PVCs carry no owner reference, everything else does', () => {
    for (const o of build().objects)
      assert.equal(o.ownerReference, o.object.kind !== 'PersistentVolumeClaim', `${o.object.kind} ${o.object.metadata.name}`);
  });
});

describe('scheduling and reconciled fields (operator.md §2.4)', () => {
  const tolerations = [{ key: 'dedicated', operator: 'Equal' as const, value: 'gw', effect: 'NoSchedule' as const }];
  const result = build({
    apicast: { productionSpec: { replicas: 4, tolerations, affinity: { podAntiAffinity: {} } } },
    system: { memcachedTolerations: tolerations },
  });

  it('affinity/tolerations from the CR reach the pod spec', () => {
    const pod = (o: string) =>
      (
        result.objects.find((e) => e.object.metadata.name === o && e.object.kind === 'DeploymentConfig')?.object.spec as {
          template: { spec: { tolerations?: unknown; affinity?: unknown } };
        }
      ).template.spec;
    assert.deepEqual(pod('apicast-production').tolerations, tolerations);
    assert.deepEqual(pod('apicast-production').affinity, { podAntiAffinity: {} });
    assert.deepEqual(pod('system-memcache').tolerations, tolerations);
    assert.equal(pod('apicast-staging').tolerations, undefined);
  });

  it('scalable DCs reconcile replicas; fixed ones do not; system-app reconciles all containers resources', () => {
    const paths = (name: string) => {
      const r = result.objects.find((e) => e.object.metadata.name === name && e.object.kind === 'DeploymentConfig')?.reconcile;
      return r?.mode === 'fields' ? r.paths : [];
    };
    assert.ok(paths('apicast-production').includes('spec.replicas'));
    assert.ok(!paths('system-memcache').includes('spec.replicas'));
    assert.ok(paths('system-app').includes('spec.template.spec.containers[*].resources'));
    assert.ok(paths('zync').includes('spec.template.spec.tolerations'));
    const kinds = new Map(result.objects.map((o) => [`${o.object.kind}/${o.object.metadata.name}`, o.reconcile.mode]));
    assert.equal(kinds.get('Secret/system-seed'), 'secret-add-missing-keys');
    assert.equal(kinds.get('ImageStream/amp-system'), 'imagestream-tags');
    assert.equal(kinds.get('Service/zync'), 'create-only');
    assert.equal(kinds.get('Route/backend'), 'create-only');
  });
});
