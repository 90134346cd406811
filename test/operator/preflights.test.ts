/**
 * Preflights on the test cluster (operator.md §11): an install with external components whose system database
 * (a real MariaDB) is below the requirements ConfigMap's minimum writes nothing but the Preflights condition;
 * once the minimum is lowered the check passes at once (ConfigMap event), the CR is annotated with the
 * ConfigMap's resourceVersion and the install proceeds.
 */
import assert from 'node:assert/strict';
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { OPERATOR_VERSION } from '../../operator/src/api/defaults.js';
import {
  CONFIRMED_ANNOTATION,
  DEFAULT_REQUIREMENTS,
  REQUIREMENTS_CONFIGMAP,
  WRITTEN_BY_ANNOTATION,
} from '../../operator/src/controller/preflights/decide.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startMariaDb, type DatabaseServer } from '../support/databases.js';
import { condition, editObject, eventually } from './fixture.js';
import { operatorSuite } from './suite.js';

const APIM = 'apps.3scale.net/v1alpha1';
const DC = 'apps.openshift.io/v1';

describe('operator: preflights', function () {
  this.timeout(180_000);
  let redis: RedisServer;
  let mariadb: DatabaseServer;
  const suite = operatorSuite({
    prefix: 'preflights',
    prepare: async () => {
      [redis, mariadb] = await Promise.all([startRedis(), startMariaDb({ user: 'root' })]);
    },
    cleanup: async () => {
      // Unset when prepare failed part-way.
      await Promise.all([(redis as RedisServer | undefined)?.stop(), (mariadb as DatabaseServer | undefined)?.stop()]);
    },
  });
  let admin: KubeClient;
  let namespace: string;
  before(() => {
    ({ admin, namespace } = suite);
  });
  const apim = () => admin.get<KubeObject>(APIM, 'APIManager', namespace, 'example');

  it('a system database below the minimum: Preflights False naming it, nothing created; lowered minimum: confirmed, installed', async () => {
    await admin.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: REQUIREMENTS_CONFIGMAP, namespace, annotations: { [WRITTEN_BY_ANNOTATION]: OPERATOR_VERSION } },
      data: { ...DEFAULT_REQUIREMENTS, mysql_version: '99.0' },
    });
    const url = `redis://127.0.0.1:${redis.port}`;
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'backend-redis', namespace },
      stringData: {
        REDIS_STORAGE_URL: `${url}/0`,
        REDIS_QUEUES_URL: `${url}/1`,
        REDIS_STORAGE_SENTINEL_HOSTS: '',
        REDIS_STORAGE_SENTINEL_ROLE: '',
        REDIS_QUEUES_SENTINEL_HOSTS: '',
        REDIS_QUEUES_SENTINEL_ROLE: '',
      },
    });
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'system-redis', namespace },
      stringData: {
        URL: `${url}/2`,
        SENTINEL_HOSTS: '',
        SENTINEL_ROLE: '',
        MESSAGE_BUS_URL: `${url}/3`,
        MESSAGE_BUS_SENTINEL_HOSTS: '',
        MESSAGE_BUS_SENTINEL_ROLE: '',
        NAMESPACE: '',
        MESSAGE_BUS_NAMESPACE: '',
      },
    });
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'system-database', namespace },
      stringData: { URL: mariadb.url, DB_USER: mariadb.user, DB_PASSWORD: mariadb.password },
    });
    const secretsBefore = (await admin.list<KubeObject>('v1', 'Secret', namespace)).items.map((s) => s.metadata.name).sort();
    await admin.create({
      apiVersion: APIM,
      kind: 'APIManager',
      metadata: { name: 'example', namespace },
      spec: { wildcardDomain: 'example.test', externalComponents: { system: { database: true, redis: true }, backend: { redis: true } } },
    });

    await eventually('Preflights False', async () => condition(await apim(), 'Preflights')?.status === 'False', 30_000, 200);
    const failed = condition(await apim(), 'Preflights')!;
    assert.equal(failed.reason, 'RequirementsNotMet');
    assert.match(
      failed.message ?? '',
      /^install held: system-database \(MariaDB\): version 10\.\d+\.\d+\S* is below the minimum 99\.0 \(mysql_version\)$/,
    );
    assert.ok(
      !failed.message!.includes(mariadb.password) && !failed.message!.includes('127.0.0.1'),
      'no credential or URL in the condition',
    );
    assert.equal(failed.observedGeneration, (await apim()).metadata.generation);
    // Give a wrong implementation time to create things, then check none exist.
    await new Promise((r) => setTimeout(r, 2000));
    assert.deepEqual(
      (await admin.list<KubeObject>(DC, 'DeploymentConfig', namespace)).items.map((d) => d.metadata.name),
      [],
      'no workload',
    );
    assert.deepEqual(
      (await admin.list<KubeObject>('v1', 'Secret', namespace)).items
        .map((s) => s.metadata.name)
        .filter((n) => !n.includes('token'))
        .sort(),
      secretsBefore.filter((n) => !n.includes('token')),
      'no secret',
    );
    assert.deepEqual((await admin.list<KubeObject>('v1', 'Service', namespace)).items, [], 'no service');
    const annotations = (await apim()).metadata.annotations ?? {};
    assert.equal(annotations[CONFIRMED_ANNOTATION], undefined);
    assert.equal(annotations['apps.3scale.net/apimanager-threescale-version'], undefined, 'not stamped as installed');
    assert.equal(condition(await apim(), 'Available'), undefined, 'only the Preflights condition was written');

    const lowered = await editObject<KubeObject & { data: Record<string, string> }>(
      admin,
      'v1',
      'ConfigMap',
      namespace,
      REQUIREMENTS_CONFIGMAP,
      (cm) => {
        cm.data = { ...cm.data, mysql_version: '10.0' };
      },
    );
    await eventually('Preflights True', async () => condition(await apim(), 'Preflights')?.status === 'True', 20_000, 200);
    const passed = condition(await apim(), 'Preflights')!;
    assert.equal(passed.reason, 'RequirementsConfirmed');
    assert.match(passed.message ?? '', /system-database \(MariaDB\) 10\.\S+ >= 10\.0/);
    assert.match(passed.message ?? '', /backend-redis REDIS_STORAGE_URL \d+\.\d+\.\d+ >= 3\.2\.0/);
    assert.match(passed.message ?? '', /system-redis URL \d+\.\d+\.\d+ >= 3\.2\.0/);
    // The condition and the annotation are two writes (status subresource, then metadata): wait for the second.
    await eventually(
      'confirmed-requirements annotation names the lowered ConfigMap version',
      async () => (await apim()).metadata.annotations?.[CONFIRMED_ANNOTATION] === lowered.metadata.resourceVersion,
      20_000,
      200,
    );
    await eventually(
      'system-app created',
      async () => {
        try {
          await admin.get(DC, 'DeploymentConfig', namespace, 'system-app');
          return true;
        } catch {
          return false;
        }
      },
      60_000,
      300,
    );
    await eventually('status of the installed pass', async () => condition(await apim(), 'Available') !== undefined, 30_000, 300);
    assert.equal(condition(await apim(), 'Preflights')?.status, 'True', 'kept by the normal passes');
    assert.equal(condition(await apim(), 'Degraded')?.status, 'False', 'the secrets are complete');
    const cm = await admin.get<KubeObject & { data: Record<string, string> }>('v1', 'ConfigMap', namespace, REQUIREMENTS_CONFIGMAP);
    assert.equal(cm.data.mysql_version, '10.0', 'an edit by the administrator stands while the operator version is the same');
  });

  it('an upgrade skipping a minor is refused: nothing written but the condition', async () => {
    await editObject(admin, APIM, 'APIManager', namespace, 'example', (cr) => {
      cr.metadata.annotations = { ...cr.metadata.annotations, 'apps.3scale.net/apimanager-threescale-version': '2.7' };
    });
    await eventually(
      'Preflights False (UpgradeRefused)',
      async () => condition(await apim(), 'Preflights')?.reason === 'UpgradeRefused',
      20_000,
      200,
    );
    assert.match(condition(await apim(), 'Preflights')!.message ?? '', /from release 2\.7 to 2\.9 skips a minor/);
    const before = (await admin.list<KubeObject>(DC, 'DeploymentConfig', namespace)).items.map(
      (d) => `${d.metadata.name}@${d.metadata.resourceVersion}`,
    );
    await editObject(admin, APIM, 'APIManager', namespace, 'example', (cr) => {
      cr.spec = { ...(cr.spec as object), system: { appSpec: { replicas: 3 } } };
    });
    await new Promise((r) => setTimeout(r, 2000));
    assert.deepEqual(
      (await admin.list<KubeObject>(DC, 'DeploymentConfig', namespace)).items.map(
        (d) => `${d.metadata.name}@${d.metadata.resourceVersion}`,
      ),
      before,
      'no workload written',
    );
    assert.equal((await apim()).metadata.annotations?.['apps.3scale.net/apimanager-threescale-version'], '2.7', 'not re-stamped');
  });

  it('a one-minor upgrade with a database below a raised minimum is held; once met the upgrade runs and the CR is stamped', async () => {
    const dcs = async () =>
      (await admin.list<KubeObject>(DC, 'DeploymentConfig', namespace)).items.map(
        (d) => `${d.metadata.name}@${d.metadata.resourceVersion}`,
      );
    await editObject<KubeObject & { data: Record<string, string> }>(admin, 'v1', 'ConfigMap', namespace, REQUIREMENTS_CONFIGMAP, (cm) => {
      cm.data = { ...cm.data, mysql_version: '99.0' };
    });
    await editObject(admin, APIM, 'APIManager', namespace, 'example', (cr) => {
      cr.metadata.annotations = { ...cr.metadata.annotations, 'apps.3scale.net/apimanager-threescale-version': '2.8' };
    });
    await eventually(
      'upgrade held',
      async () => /^upgrade from 2\.8 held: system-database \(MariaDB\)/.test(condition(await apim(), 'Preflights')?.message ?? ''),
      20_000,
      200,
    );
    assert.equal(condition(await apim(), 'Preflights')?.reason, 'RequirementsNotMet');
    const before = await dcs();
    await new Promise((r) => setTimeout(r, 2000));
    assert.deepEqual(await dcs(), before, 'no upgrade step and no update while held');

    const lowered = await editObject<KubeObject & { data: Record<string, string> }>(
      admin,
      'v1',
      'ConfigMap',
      namespace,
      REQUIREMENTS_CONFIGMAP,
      (cm) => {
        cm.data = { ...cm.data, mysql_version: '10.0' };
      },
    );
    await eventually(
      'stamped with our release',
      async () => (await apim()).metadata.annotations?.['apps.3scale.net/apimanager-threescale-version'] === '2.9',
      20_000,
      200,
    ).catch(async (error: unknown) => {
      const cr = await apim();
      throw new Error(
        `${(error as Error).message}; annotations ${JSON.stringify(cr.metadata.annotations)}; conditions ${JSON.stringify((cr.status as { conditions?: unknown }).conditions)}`,
      );
    });
    assert.equal((await apim()).metadata.annotations?.[CONFIRMED_ANNOTATION], lowered.metadata.resourceVersion);
    await eventually(
      'the spec change made while held is applied',
      async () =>
        ((await admin.get<KubeObject>(DC, 'DeploymentConfig', namespace, 'system-app')).spec as { replicas: number }).replicas === 3,
      20_000,
      200,
    );
    assert.equal(condition(await apim(), 'Preflights')?.status, 'True');
  });
});
