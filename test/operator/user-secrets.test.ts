/**
 * User-provided secrets (HA external databases) on the test cluster: read and validated, never written; an
 * incomplete one sets Degraded naming secret and key and holds back every workload that reads it
 * (README "incomplete user secrets"). The external servers are real (Redis, MariaDB): the preflights
 * (operator.md §11) ask them their versions before anything is installed.
 */
import assert from 'node:assert/strict';
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { condition, editObject, eventually } from './fixture.js';
import { operatorSuite } from './suite.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startMariaDb, type DatabaseServer } from '../support/databases.js';

const APIM = 'apps.3scale.net/v1alpha1';
const DC = 'apps.openshift.io/v1';

describe('operator: user-provided secrets (HA)', function () {
  this.timeout(120_000);
  let redis: RedisServer;
  let mariadb: DatabaseServer;
  const suite = operatorSuite({
    prefix: 'ha',
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
  let systemRedis: Record<string, string>;
  before(() => {
    ({ admin, namespace } = suite);
    systemRedis = {
      URL: `redis://127.0.0.1:${redis.port}/1`,
      SENTINEL_HOSTS: '',
      SENTINEL_ROLE: '',
      MESSAGE_BUS_URL: `redis://127.0.0.1:${redis.port}/8`,
      MESSAGE_BUS_SENTINEL_HOSTS: '',
      MESSAGE_BUS_SENTINEL_ROLE: '',
      NAMESPACE: '',
      MESSAGE_BUS_NAMESPACE: '',
    };
  });
  const replicas = async (name: string) =>
    ((await admin.get<KubeObject>(DC, 'DeploymentConfig', namespace, name)).spec as { replicas: number }).replicas;
  const apim = () => admin.get<KubeObject>(APIM, 'APIManager', namespace, 'example');

  it('reads the external database secrets without writing them', async () => {
    const created: KubeObject[] = [
      await admin.create({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'backend-redis', namespace },
        stringData: {
          REDIS_STORAGE_URL: `redis://127.0.0.1:${redis.port}/0`,
          REDIS_QUEUES_URL: `redis://127.0.0.1:${redis.port}/1`,
          REDIS_STORAGE_SENTINEL_HOSTS: '',
          REDIS_STORAGE_SENTINEL_ROLE: '',
          REDIS_QUEUES_SENTINEL_HOSTS: '',
          REDIS_QUEUES_SENTINEL_ROLE: '',
        },
      }),
      await admin.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'system-redis', namespace }, stringData: systemRedis }),
      await admin.create({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'system-database', namespace },
        stringData: { URL: mariadb.url },
      }),
    ];
    await admin.create({
      apiVersion: APIM,
      kind: 'APIManager',
      metadata: { name: 'example', namespace },
      spec: { wildcardDomain: 'example.test', highAvailability: { enabled: true } },
    });
    await eventually(
      'system-app created',
      async () => {
        try {
          return (await replicas('system-app')) === 1;
        } catch {
          return false;
        }
      },
      60_000,
      300,
    );
    await eventually('status written', async () => condition(await apim(), 'Degraded')?.status === 'False', 30_000, 300);
    for (const secret of created) {
      const live = await admin.get<KubeObject>('v1', 'Secret', namespace, secret.metadata.name);
      assert.equal(live.metadata.resourceVersion, secret.metadata.resourceVersion, `${secret.metadata.name} never written`);
      assert.equal(live.metadata.ownerReferences, undefined);
    }
    await assert.rejects(admin.get(DC, 'DeploymentConfig', namespace, 'system-mysql'), /404/, 'no internal database in HA mode');
    assert.equal(condition(await apim(), 'SecretsAvailable')?.status, 'True');
    assert.equal(condition(await apim(), 'Preflights')?.status, 'True', 'the external servers were asked and meet the minima');
    assert.equal(condition(await apim(), 'Warning')?.status, 'True');
    assert.match(condition(await apim(), 'Warning')?.message ?? '', /spec\.highAvailability: deprecated.*externalComponents/);
  });

  it('an incomplete secret: Degraded names secret and key, workloads reading it are not rolled, others are', async () => {
    const secret = await admin.get<KubeObject>('v1', 'Secret', namespace, 'system-redis');
    const data = { ...(secret.data as Record<string, string>) };
    delete data.SENTINEL_HOSTS;
    secret.data = data;
    await admin.update(secret);
    await editObject(admin, APIM, 'APIManager', namespace, 'example', (cr) => {
      cr.spec = { ...(cr.spec as object), system: { appSpec: { replicas: 2 } }, backend: { listenerSpec: { replicas: 2 } } };
    });
    await eventually('Degraded', async () => condition(await apim(), 'Degraded')?.status === 'True', 20_000, 200);
    const message = condition(await apim(), 'Degraded')!.message!;
    assert.match(message, /secret system-redis key SENTINEL_HOSTS: key missing/);
    assert.equal(condition(await apim(), 'SecretsAvailable')?.status, 'False');
    assert.match(condition(await apim(), 'SecretsAvailable')?.message ?? '', /secret system-redis key SENTINEL_HOSTS: key missing/);
    assert.ok(!message.includes('127.0.0.1') && !message.includes(mariadb.password), 'no secret value in the condition');
    await eventually('backend-listener scaled', async () => (await replicas('backend-listener')) === 2, 20_000, 200);
    assert.equal(await replicas('system-app'), 1, 'system-app reads system-redis: held back');

    const fixed = await admin.get<KubeObject>('v1', 'Secret', namespace, 'system-redis');
    fixed.data = { ...(fixed.data as Record<string, string>), SENTINEL_HOSTS: '' };
    await admin.update(fixed);
    await eventually('system-app scaled once the secret is complete', async () => (await replicas('system-app')) === 2, 20_000, 200);
    await eventually('Degraded cleared', async () => condition(await apim(), 'Degraded')?.status === 'False', 20_000, 200);
  });
});
