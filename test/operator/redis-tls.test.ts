/**
 * Redis over TLS with ACL users on the test cluster (issue 12): external backend and system Redis served by a
 * real TLS-only redis-server that requires client certificates and has only an ACL user. A `*TLSEnabled` flag
 * whose Secret lacks the CA is refused with a condition naming field, Secret and key, and nothing is created;
 * once the user adds the CA the preflights read the versions over TLS with the ACL users, the install
 * proceeds, and the Redis consumers get the TLS env and volumes. The user's Secrets are never written.
 */
import assert from 'node:assert/strict';
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { makePki, startTlsRedis, type Pki, type TlsRedis } from '../support/redis-tls.js';
import { condition, editObject, eventually } from './fixture.js';
import { operatorSuite } from './suite.js';

const APIM = 'apps.3scale.net/v1alpha1';
const DC = 'apps.openshift.io/v1';
const USER = 'threescale';
const PASSWORD = 'Tls-Acl-s3cret';

type Container = {
  name: string;
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  volumeMounts?: { name: string; mountPath: string }[];
};
type Workload = KubeObject & {
  spec: {
    template: {
      spec: {
        containers: Container[];
        initContainers?: Container[];
        volumes?: { name: string; secret?: { secretName: string; items?: { key: string }[] } }[];
      };
    };
  };
};

describe('operator: Redis over TLS with ACL users', function () {
  this.timeout(180_000);
  let pki: Pki;
  let redis: TlsRedis;
  const suite = operatorSuite({
    prefix: 'redis-tls',
    prepare: async () => {
      pki = await makePki();
      redis = await startTlsRedis(pki, { username: USER, password: PASSWORD });
    },
    cleanup: async () => {
      // Unset when prepare failed.
      await (redis as TlsRedis | undefined)?.stop();
    },
  });
  let admin: KubeClient;
  let namespace: string;
  before(() => {
    ({ admin, namespace } = suite);
  });
  const apim = () => admin.get<KubeObject>(APIM, 'APIManager', namespace, 'example');
  const secretData = async (name: string) =>
    (await admin.get<KubeObject & { data?: Record<string, string> }>('v1', 'Secret', namespace, name)).data ?? {};

  it('a missing CA is refused naming field, Secret and key; with it the preflights pass over TLS + ACL and the consumers get the TLS env and volumes', async () => {
    const url = `redis://127.0.0.1:${redis.port}`;
    const acl = {
      REDIS_STORAGE_USERNAME: USER,
      REDIS_STORAGE_PASSWORD: PASSWORD,
      REDIS_QUEUES_USERNAME: USER,
      REDIS_QUEUES_PASSWORD: PASSWORD,
    };
    const client = {
      REDIS_SSL_CERT: pki.clientCert,
      REDIS_SSL_KEY: pki.clientKey,
      REDIS_SSL_QUEUES_CA: pki.ca,
      REDIS_SSL_QUEUES_CERT: pki.clientCert,
      REDIS_SSL_QUEUES_KEY: pki.clientKey,
    };
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
        ...acl,
        ...client, // REDIS_SSL_CA deliberately missing
      },
    });
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'system-redis', namespace },
      stringData: {
        URL: `rediss://127.0.0.1:${redis.port}/2`,
        SENTINEL_HOSTS: '',
        SENTINEL_ROLE: '',
        NAMESPACE: '',
        REDIS_USERNAME: USER,
        REDIS_PASSWORD: PASSWORD,
        REDIS_SSL_CA: pki.ca,
        REDIS_SSL_CERT: pki.clientCert,
        REDIS_SSL_KEY: pki.clientKey,
      },
    });
    const backendBefore = await admin.get<KubeObject>('v1', 'Secret', namespace, 'backend-redis');
    await admin.create({
      apiVersion: APIM,
      kind: 'APIManager',
      metadata: { name: 'example', namespace },
      spec: {
        wildcardDomain: 'example.test',
        externalComponents: { backend: { redis: true }, system: { redis: true } },
        backend: { redisTLSEnabled: true, queuesTLSEnabled: true },
        system: { redisTLSEnabled: true },
      },
    });

    await eventually('InvalidSpec', async () => condition(await apim(), 'Degraded')?.reason === 'InvalidSpec', 30_000, 200);
    const degraded = condition(await apim(), 'Degraded')!;
    assert.match(degraded.message ?? '', /spec\.backend\.redisTLSEnabled: Secret backend-redis has no REDIS_SSL_CA/);
    assert.ok(
      !(degraded.message ?? '').includes(PASSWORD) && !(degraded.message ?? '').includes('BEGIN'),
      'no secret value in the condition',
    );
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual((await admin.list<KubeObject>(DC, 'DeploymentConfig', namespace)).items, [], 'nothing deployed');
    assert.equal(
      (await admin.get<KubeObject>('v1', 'Secret', namespace, 'backend-redis')).metadata.resourceVersion,
      backendBefore.metadata.resourceVersion,
      "the user's Secret is not written",
    );

    await editObject<KubeObject & { stringData?: Record<string, string> }>(admin, 'v1', 'Secret', namespace, 'backend-redis', (s) => {
      s.stringData = { REDIS_SSL_CA: pki.ca };
    });
    await eventually('Preflights True', async () => condition(await apim(), 'Preflights')?.status === 'True', 30_000, 200).catch(
      async (error: unknown) => {
        throw new Error(
          `${(error as Error).message}; conditions ${JSON.stringify(((await apim()).status as { conditions?: unknown }).conditions)}`,
        );
      },
    );
    const passed = condition(await apim(), 'Preflights')!.message ?? '';
    assert.match(
      passed,
      /backend-redis REDIS_STORAGE_URL \d+\.\d+\.\d+ >= /,
      'storage Redis read over TLS with the ACL user (its URL is redis://, the flag forces TLS)',
    );
    assert.match(passed, /backend-redis REDIS_QUEUES_URL \d+\.\d+\.\d+ >= /);
    assert.match(passed, /system-redis URL \d+\.\d+\.\d+ >= /);

    await eventually(
      'backend-worker created',
      async () => {
        try {
          await admin.get(DC, 'DeploymentConfig', namespace, 'backend-worker');
          return true;
        } catch {
          return false;
        }
      },
      60_000,
      300,
    );
    const worker = await admin.get<Workload>(DC, 'DeploymentConfig', namespace, 'backend-worker');
    const env = (c: Container) =>
      Object.fromEntries(
        (c.env ?? []).map((e) => [e.name, e.value ?? `${e.valueFrom?.secretKeyRef?.name}/${e.valueFrom?.secretKeyRef?.key}`]),
      );
    for (const c of [...worker.spec.template.spec.containers, ...(worker.spec.template.spec.initContainers ?? [])]) {
      const e = env(c);
      assert.equal(e.CONFIG_REDIS_SSL, 'true', c.name);
      assert.equal(e.CONFIG_REDIS_CA_FILE, '/tls/backend-redis/backend-redis-ca.crt', c.name);
      assert.equal(e.CONFIG_REDIS_CERT, '/tls/backend-redis/backend-redis-client.crt', c.name);
      assert.equal(e.CONFIG_QUEUES_PRIVATE_KEY, '/tls/queues/config-queues-private.key', c.name);
      assert.equal(e.CONFIG_REDIS_USERNAME, 'backend-redis/REDIS_STORAGE_USERNAME', c.name);
      assert.equal(e.CONFIG_QUEUES_PASSWORD, 'backend-redis/REDIS_QUEUES_PASSWORD', c.name);
      assert.deepEqual(
        (c.volumeMounts ?? []).map((m) => m.mountPath),
        ['/tls/backend-redis', '/tls/queues'],
        c.name,
      );
    }
    assert.deepEqual(
      (worker.spec.template.spec.volumes ?? []).map((v) => [v.name, v.secret?.secretName, v.secret?.items?.map((i) => i.key)]),
      [
        ['backend-redis-tls', 'backend-redis', ['REDIS_SSL_CA', 'REDIS_SSL_CERT', 'REDIS_SSL_KEY']],
        ['queues-redis-tls', 'backend-redis', ['REDIS_SSL_QUEUES_CA', 'REDIS_SSL_QUEUES_CERT', 'REDIS_SSL_QUEUES_KEY']],
      ],
    );
    await eventually(
      'system-sphinx created',
      async () => {
        try {
          await admin.get(DC, 'DeploymentConfig', namespace, 'system-sphinx');
          return true;
        } catch {
          return false;
        }
      },
      60_000,
      300,
    );
    const sphinx = await admin.get<Workload>(DC, 'DeploymentConfig', namespace, 'system-sphinx');
    const sphinxEnv = env(sphinx.spec.template.spec.containers[0]);
    assert.equal(sphinxEnv.REDIS_SSL, 'true');
    assert.equal(sphinxEnv.REDIS_USERNAME, 'system-redis/REDIS_USERNAME');
    assert.ok(
      (sphinx.spec.template.spec.volumes ?? []).some((v) => v.name === 'system-redis-tls' && v.secret?.secretName === 'system-redis'),
    );

    // The user's Secrets hold exactly what the user wrote.
    const data = await secretData('backend-redis');
    assert.deepEqual(
      Object.keys(data).sort(),
      [
        ...Object.keys(acl),
        ...Object.keys(client),
        'REDIS_SSL_CA',
        'REDIS_STORAGE_URL',
        'REDIS_QUEUES_URL',
        'REDIS_STORAGE_SENTINEL_HOSTS',
        'REDIS_STORAGE_SENTINEL_ROLE',
        'REDIS_QUEUES_SENTINEL_HOSTS',
        'REDIS_QUEUES_SENTINEL_ROLE',
      ].sort(),
    );
  });
});
