/**
 * The rolling Redis Sentinel migration (operator.md §4.4) on the live test cluster, against real redis-server and
 * redis-sentinel processes: the user switches the `backend-redis` / `system-redis` secrets to the Sentinel form;
 * the operator validates the new endpoints and rolls the six consumers one at a time, in order, through the
 * pod-template marker. The DC controller part ("the new version is rolled out") is the stand-in
 * markDeploymentConfigAvailable (test/cluster/openshift-stand-ins.ts), one consumer at a time, and says so.
 */
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import type { Cluster } from '../cluster/harness.js';
import { markDeploymentConfigAvailable } from '../cluster/openshift-stand-ins.js';
import { startSentinelGroup, type SentinelGroup } from '../support/redis.js';
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { condition, editObject, eventually, type RunningOperator } from './fixture.js';
import { operatorSuite } from './suite.js';

const APIM = 'apps.3scale.net/v1alpha1';
const DC = 'apps.openshift.io/v1';
const MARKER = 'apps.3scale.net/redis-config-hash';
const ORDER = ['backend-listener', 'backend-cron', 'backend-worker', 'system-app', 'system-sidekiq', 'system-sphinx'];
type Dc = KubeObject & {
  spec: {
    template: {
      metadata?: { annotations?: Record<string, string> };
      spec: { containers: { name: string; env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[] }[] };
    };
  };
};

describe('operator: rolling Redis Sentinel migration', function () {
  this.timeout(240_000);
  let group: SentinelGroup;
  const suite = operatorSuite({
    prefix: 'redis-mig',
    logLines: 60,
    prepare: async () => {
      group = await startSentinelGroup('mymaster');
    },
    cleanup: async () => {
      // Unset when prepare failed.
      await (group as SentinelGroup | undefined)?.stop();
    },
  });
  let cluster: Cluster;
  let admin: KubeClient;
  let namespace: string;
  let operator: RunningOperator;

  before(async () => {
    ({ cluster, admin, namespace } = suite);
    operator = suite.operator!;
    await admin.create({
      apiVersion: APIM,
      kind: 'APIManager',
      metadata: { name: 'example', namespace },
      spec: { wildcardDomain: 'example.test' },
    });
    await eventually(
      'consumers created',
      async () => (await admin.list(DC, 'DeploymentConfig', namespace)).items.length >= 15,
      60_000,
      300,
    );
    // Simulated: every DC rolled out (DC controller + kubelet).
    for (const dc of (await admin.list<KubeObject>(DC, 'DeploymentConfig', namespace)).items)
      await markDeploymentConfigAvailable(cluster.kubeConfig(), namespace, dc.metadata.name);
  });

  const dcs = async () => new Map((await admin.list<Dc>(DC, 'DeploymentConfig', namespace)).items.map((d) => [d.metadata.name, d]));
  const marker = (dc: Dc | undefined) => dc?.spec.template.metadata?.annotations?.[MARKER];
  const apim = () => admin.get<KubeObject>(APIM, 'APIManager', namespace, 'example');
  const sentinelHosts = () => group.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',');
  const editSecret = async (name: string, values: Record<string, string>) => {
    const secret = await admin.get<KubeObject>('v1', 'Secret', namespace, name);
    secret.data = {
      ...(secret.data as Record<string, string>),
      ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    };
    await admin.update(secret);
  };

  it('a fresh install rolls nothing: every consumer already carries the marker of the current secrets', async () => {
    const before = await dcs();
    for (const name of ORDER) assert.match(marker(before.get(name)) ?? '', /^[0-9a-f]{64}$/, `${name} has the marker`);
    assert.equal(condition(await apim(), 'RedisMigration'), undefined, 'absent until the first migration');
  });

  it('refuses to roll while a Sentinel endpoint is unreachable, naming the secret and key', async () => {
    const before = await dcs();
    await editSecret('backend-redis', {
      REDIS_STORAGE_URL: 'redis://mymaster/0',
      REDIS_STORAGE_SENTINEL_HOSTS: '127.0.0.1:1',
      REDIS_STORAGE_SENTINEL_ROLE: 'master',
      REDIS_QUEUES_URL: 'redis://mymaster/1',
      REDIS_QUEUES_SENTINEL_HOSTS: '127.0.0.1:1',
      REDIS_QUEUES_SENTINEL_ROLE: 'master',
    });
    await eventually(
      'InvalidRedisConfig',
      async () => condition(await apim(), 'RedisMigration')?.reason === 'InvalidRedisConfig',
      30_000,
      300,
    );
    const message = condition(await apim(), 'RedisMigration')!.message!;
    assert.match(message, /secret backend-redis key REDIS_STORAGE_SENTINEL_HOSTS/);
    const after = await dcs();
    for (const name of ORDER) assert.equal(marker(after.get(name)), marker(before.get(name)), `${name} not rolled`);
  });

  it('rolls the six consumers one at a time in order once the secrets point at a reachable Sentinel group, and nothing else', async () => {
    const before = await dcs();
    await editSecret('backend-redis', {
      REDIS_STORAGE_SENTINEL_HOSTS: sentinelHosts(),
      REDIS_QUEUES_SENTINEL_HOSTS: sentinelHosts(),
    });
    await editSecret('system-redis', {
      URL: 'redis://mymaster/2',
      SENTINEL_HOSTS: sentinelHosts(),
      SENTINEL_ROLE: 'master',
      MESSAGE_BUS_URL: 'redis://mymaster/3',
      MESSAGE_BUS_SENTINEL_HOSTS: sentinelHosts(),
      MESSAGE_BUS_SENTINEL_ROLE: 'master',
      NAMESPACE: 'system',
      MESSAGE_BUS_NAMESPACE: 'bus',
    });
    const rolled: string[] = [];
    for (const expected of ORDER) {
      await eventually(
        `${expected} rolled`,
        async () => {
          const current = await dcs();
          const changed = ORDER.filter((n) => marker(current.get(n)) !== marker(before.get(n)));
          return changed.length === rolled.length + 1;
        },
        30_000,
        200,
      );
      const current = await dcs();
      const changed = ORDER.filter((n) => marker(current.get(n)) !== marker(before.get(n)));
      assert.deepEqual(changed, [...rolled, expected], 'exactly one more consumer, the next in order');
      rolled.push(expected);
      // After the last roll nothing is stale any more: the condition goes straight to Completed (operator.md §4.4).
      const reasonNow = expected === ORDER.at(-1) ? 'Completed' : 'Rolling';
      await eventually(
        `RedisMigration ${reasonNow}`,
        async () => condition(await apim(), 'RedisMigration')?.reason === reasonNow,
        10_000,
        200,
      ).catch(async (error: unknown) => {
        throw new Error(
          `${expected}: ${(error as Error).message}; condition: ${JSON.stringify(condition(await apim(), 'RedisMigration'))}`,
        );
      });
      // While this consumer's new version is not rolled out, the next one must wait.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const still = await dcs();
      assert.deepEqual(
        ORDER.filter((n) => marker(still.get(n)) !== marker(before.get(n))),
        rolled,
        `nothing after ${expected} rolls before it is rolled out`,
      );
      // The new settings point at a Redis that answers (the invariant), checked from the test through Sentinel.
      const redis = new Redis({
        sentinels: group.sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
        name: 'mymaster',
        lazyConnect: true,
      });
      await redis.connect();
      assert.equal(await redis.ping(), 'PONG');
      redis.disconnect();
      // Simulated: the DC controller rolls out the new version and the kubelet reports its pods ready.
      await markDeploymentConfigAvailable(cluster.kubeConfig(), namespace, expected);
    }
    await eventually('Completed', async () => condition(await apim(), 'RedisMigration')?.reason === 'Completed', 30_000, 300);
    const after = await dcs();
    for (const [name, dc] of after) {
      if (ORDER.includes(name)) continue;
      assert.equal(dc.metadata.generation, before.get(name)!.metadata.generation, `${name} is not a Redis consumer and is not rolled`);
    }
    // Final env: every consumer reads Redis through the secret keys of §4.2, so the new values are what it gets.
    const listener = after.get('backend-listener')!.spec.template.spec.containers[0].env ?? [];
    assert.deepEqual(listener.find((e) => e.name === 'CONFIG_REDIS_SENTINEL_HOSTS')?.valueFrom?.secretKeyRef, {
      name: 'backend-redis',
      key: 'REDIS_STORAGE_SENTINEL_HOSTS',
    });
    assert.deepEqual(listener.find((e) => e.name === 'CONFIG_QUEUES_MASTER_NAME')?.valueFrom?.secretKeyRef, {
      name: 'backend-redis',
      key: 'REDIS_QUEUES_URL',
    });
    for (const name of ['system-app', 'system-sidekiq', 'system-sphinx']) {
      for (const container of after.get(name)!.spec.template.spec.containers) {
        const env = container.env ?? [];
        assert.deepEqual(
          env.find((e) => e.name === 'REDIS_SENTINEL_HOSTS')?.valueFrom?.secretKeyRef,
          { name: 'system-redis', key: 'SENTINEL_HOSTS' },
          `${name}/${container.name}`,
        );
      }
    }
    const secret = await admin.get<KubeObject>('v1', 'Secret', namespace, 'backend-redis');
    assert.equal(
      Buffer.from((secret.data as Record<string, string>).REDIS_STORAGE_SENTINEL_HOSTS, 'base64').toString(),
      sentinelHosts(),
      'the operator never rewrites the values',
    );
  });

  it('a Sentinel failover needs no operator action: nothing is rolled or rewritten', async () => {
    const before = await dcs();
    const writesBefore = await operator.writes();
    await group.failover();
    await editObject(admin, APIM, 'APIManager', namespace, 'example', (cr) => {
      cr.metadata.annotations = { ...cr.metadata.annotations, 'example.test/after-failover': 'yes' };
    });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const after = await dcs();
    for (const name of ORDER)
      assert.equal(after.get(name)!.metadata.resourceVersion, before.get(name)!.metadata.resourceVersion, `${name} untouched`);
    assert.equal(condition(await apim(), 'RedisMigration')?.reason, 'Completed');
    assert.equal(await operator.writes(), writesBefore, 'no API write after the failover');
  });
});
