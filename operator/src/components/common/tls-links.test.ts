import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { APIManagerSpec } from '../../api/types.js';
import type { ExistingSecrets } from '../../secrets/resolve.js';
import type { KubeObject } from './desired.js';
import { apiManager, build, containerOf, envNotation, find, modelOf } from '../../testing/build.js';
import { apiManagerPlanner } from '../../controller/reconcilers/planners.js';
import { REDIS_CONFIG_HASH } from './redis-hash.js';
import { tlsSecretErrors } from './tls-links.js';
import { validateCr } from '../../api/validate.js';
import { makePki, type Pki } from '../../../../test/support/redis-tls.js';

const BACKEND_2_9 = {
  REDIS_STORAGE_URL: 'rediss://redis-a:6380/0',
  REDIS_QUEUES_URL: 'rediss://redis-b:6380/1',
  REDIS_STORAGE_SENTINEL_HOSTS: '',
  REDIS_STORAGE_SENTINEL_ROLE: '',
  REDIS_QUEUES_SENTINEL_HOSTS: '',
  REDIS_QUEUES_SENTINEL_ROLE: '',
};
const SYSTEM_2_9 = {
  URL: 'rediss://redis-c:6380/1',
  SENTINEL_HOSTS: '',
  SENTINEL_ROLE: '',
  MESSAGE_BUS_URL: '',
  MESSAGE_BUS_SENTINEL_HOSTS: '',
  MESSAGE_BUS_SENTINEL_ROLE: '',
  NAMESPACE: '',
  MESSAGE_BUS_NAMESPACE: '',
};
const PEM = (what: string) => `-----BEGIN ${what}-----\nMIIB\n-----END ${what}-----\n`;
const ACL = {
  REDIS_STORAGE_USERNAME: 'apisonator',
  REDIS_STORAGE_PASSWORD: 'pw1',
  REDIS_STORAGE_SENTINEL_USERNAME: 'sentinel',
  REDIS_STORAGE_SENTINEL_PASSWORD: 'pw2',
  REDIS_QUEUES_USERNAME: 'queues',
  REDIS_QUEUES_PASSWORD: 'pw3',
  REDIS_QUEUES_SENTINEL_USERNAME: 'sentinel',
  REDIS_QUEUES_SENTINEL_PASSWORD: 'pw4',
};
const SYSTEM_ACL = { REDIS_USERNAME: 'porta', REDIS_PASSWORD: 'pw5', REDIS_SENTINEL_USERNAME: 'sentinel', REDIS_SENTINEL_PASSWORD: 'pw6' };
const EXTERNAL = { externalComponents: { backend: { redis: true }, system: { redis: true } } } satisfies Partial<APIManagerSpec>;

function secrets(backend: Record<string, string>, system: Record<string, string>, database?: Record<string, string>): ExistingSecrets {
  return new Map([
    ['backend-redis', { data: backend, userProvided: true }],
    ['system-redis', { data: system, userProvided: true }],
    ...(database ? [['system-database', { data: database, userProvided: true }] as const] : []),
  ]);
}

type Pod = {
  metadata?: { annotations?: Record<string, string> };
  spec: {
    volumes?: IVolume[];
    containers: { name: string; volumeMounts?: IVolumeMount[] }[];
    initContainers?: { name: string; volumeMounts?: IVolumeMount[] }[];
  };
};
const podOf = (object: KubeObject) => (object.spec as { template: Pod }).template;
const hashOf = (object: KubeObject) => podOf(object).metadata?.annotations?.[REDIS_CONFIG_HASH];
const volumesOf = (object: KubeObject) => podOf(object).spec.volumes ?? [];
const mountsOf = (object: KubeObject, container: string, init = false) =>
  (containerOf(object, container, init).volumeMounts ?? []).map((m) => `${m.name}:${m.mountPath}`);

/** The 2.9 formula, written out independently: sha256 over sorted `<secret>/<key>=<value>\n`. */
function hash29(values: Record<string, Record<string, string>>, keys: string[]): string {
  const h = createHash('sha256');
  for (const key of [...keys].sort()) {
    const [secret = '', name = ''] = key.split('/');
    h.update(`${key}=${values[secret][name] ?? ''}\n`);
  }
  return h.digest('hex');
}
const CONSUMERS = ['backend-listener', 'backend-worker', 'backend-cron', 'system-app', 'system-sidekiq', 'system-sphinx'];
/** The Redis consumers' workloads (the other objects carry random defaults that differ between builds). */
const consumers = (result: ReturnType<typeof build>) => CONSUMERS.map((name) => find(result, 'DeploymentConfig', name));
const BACKEND_KEYS = Object.keys(BACKEND_2_9).map((k) => `backend-redis/${k}`);

describe('Redis TLS and ACL (2.15+ fields and Secret keys)', () => {
  describe('an installation without them is unchanged', () => {
    it('no *TLSEnabled field: the model has no tls member; explicit false builds the same objects', () => {
      assert.equal(modelOf({}).tls, undefined);
      assert.equal(
        modelOf({ backend: { redisTLSEnabled: false }, system: { redisTLSEnabled: false, databaseTLSEnabled: false } }).tls,
        undefined,
      );
      const existing = secrets(BACKEND_2_9, SYSTEM_2_9);
      const plain = build(EXTERNAL, { existing });
      const off = build(
        { ...EXTERNAL, backend: { redisTLSEnabled: false, queuesTLSEnabled: false }, system: { redisTLSEnabled: false } },
        { existing },
      );
      assert.deepEqual(consumers(off), consumers(plain));
    });

    it('2.9 Secrets: no new env, volume or mount; the redis-config-hash is the 2.9 formula over the 2.9 keys', () => {
      const result = build(EXTERNAL, { existing: secrets(BACKEND_2_9, SYSTEM_2_9) });
      for (const name of ['backend-listener', 'backend-worker', 'backend-cron', 'system-app', 'system-sidekiq', 'system-sphinx']) {
        const dc = find(result, 'DeploymentConfig', name);
        const pod = podOf(dc);
        for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
          const env = Object.keys(envNotation(containerOf(dc, c.name, !pod.spec.containers.includes(c)).env));
          const added = env.filter((e) =>
            /^(CONFIG_(REDIS|QUEUES)|REDIS|BACKEND_REDIS)_(SENTINEL_)?(USERNAME|PASSWORD)$|^(CONFIG_(REDIS|QUEUES)|REDIS|BACKEND_REDIS|DATABASE)_(SSL|SSL_MODE|CA_FILE|CERT|CLIENT_CERT|PRIVATE_KEY|SSL_CA|SSL_CERT|SSL_KEY)$/.test(
              e,
            ),
          );
          assert.deepEqual(added, [], `${name}/${c.name}`);
          assert.ok(!(c.volumeMounts ?? []).some((m) => m.mountPath.startsWith('/tls/')), `${name}/${c.name}`);
        }
        assert.ok(!(pod.spec.volumes ?? []).some((v) => v.name.endsWith('-tls')), name);
      }
      const values = { 'backend-redis': BACKEND_2_9, 'system-redis': SYSTEM_2_9 };
      assert.equal(hashOf(find(result, 'DeploymentConfig', 'backend-listener')), hash29(values, BACKEND_KEYS));
      const systemKeys = Object.keys(SYSTEM_2_9).map((k) => `system-redis/${k}`);
      assert.equal(hashOf(find(result, 'DeploymentConfig', 'system-sphinx')), hash29(values, systemKeys));
      assert.equal(
        hashOf(find(result, 'DeploymentConfig', 'system-app')),
        hash29(values, [...systemKeys, ...BACKEND_KEYS.filter((k) => k.includes('STORAGE'))]),
      );
    });

    it('a default install: the hashes are the ones the operator wrote before these fields existed (pinned)', () => {
      const result = build({});
      assert.equal(
        hashOf(find(result, 'DeploymentConfig', 'backend-listener')),
        '0ff96d02d1f734b483356b58ce8a8733c7195893b6ebdf967347acdee5953ca5',
      );
      assert.equal(
        hashOf(find(result, 'DeploymentConfig', 'system-app')),
        '4b84bf1f7419a38c6b494de7a4a45e9c9168b3ba92b948928ca51e2822932ca3',
      );
      assert.equal(
        hashOf(find(result, 'DeploymentConfig', 'system-sphinx')),
        '4569cc6808793448a7ed2ea702ec4d12961d40bd480cc4d6398f1077e3113101',
      );
    });

    it('TLS material in a Secret whose flag is off changes neither objects nor hash', () => {
      const plain = build(EXTERNAL, { existing: secrets(BACKEND_2_9, SYSTEM_2_9) });
      const withMaterial = build(EXTERNAL, {
        existing: secrets({ ...BACKEND_2_9, REDIS_SSL_CA: PEM('CERTIFICATE') }, { ...SYSTEM_2_9, REDIS_SSL_CA: PEM('CERTIFICATE') }),
      });
      assert.deepEqual(consumers(withMaterial), consumers(plain));
    });
  });

  describe('backend', () => {
    const backendSecret = {
      ...BACKEND_2_9,
      ...ACL,
      REDIS_SSL_CA: PEM('CERTIFICATE'),
      REDIS_SSL_QUEUES_CA: PEM('CERTIFICATE'),
      REDIS_SSL_QUEUES_CERT: PEM('CERTIFICATE'),
      REDIS_SSL_QUEUES_KEY: PEM('PRIVATE KEY'),
    };
    const result = build(
      { ...EXTERNAL, backend: { redisTLSEnabled: true, queuesTLSEnabled: true } },
      { existing: secrets(backendSecret, SYSTEM_2_9) },
    );
    const EXTRA = {
      CONFIG_REDIS_USERNAME: 'sec?:backend-redis/REDIS_STORAGE_USERNAME',
      CONFIG_REDIS_PASSWORD: 'sec?:backend-redis/REDIS_STORAGE_PASSWORD',
      CONFIG_REDIS_SENTINEL_USERNAME: 'sec?:backend-redis/REDIS_STORAGE_SENTINEL_USERNAME',
      CONFIG_REDIS_SENTINEL_PASSWORD: 'sec?:backend-redis/REDIS_STORAGE_SENTINEL_PASSWORD',
      CONFIG_QUEUES_USERNAME: 'sec?:backend-redis/REDIS_QUEUES_USERNAME',
      CONFIG_QUEUES_PASSWORD: 'sec?:backend-redis/REDIS_QUEUES_PASSWORD',
      CONFIG_QUEUES_SENTINEL_USERNAME: 'sec?:backend-redis/REDIS_QUEUES_SENTINEL_USERNAME',
      CONFIG_QUEUES_SENTINEL_PASSWORD: 'sec?:backend-redis/REDIS_QUEUES_SENTINEL_PASSWORD',
      // Storage: CA only (server verification); queues: CA and a client certificate.
      CONFIG_REDIS_SSL: '"true"',
      CONFIG_REDIS_CA_FILE: '"/tls/backend-redis/backend-redis-ca.crt"',
      CONFIG_QUEUES_SSL: '"true"',
      CONFIG_QUEUES_CA_FILE: '"/tls/queues/config-queues-ca.crt"',
      CONFIG_QUEUES_CERT: '"/tls/queues/config-queues-client.crt"',
      CONFIG_QUEUES_PRIVATE_KEY: '"/tls/queues/config-queues-private.key"',
    };

    it('listener, worker, cron and the backend-redis-svc init: ACL env from the Secret (optional refs), TLS paths, after the 2.9 block', () => {
      for (const [name, init] of [
        ['backend-listener', false],
        ['backend-worker', false],
        ['backend-cron', false],
        ['backend-worker', true],
        ['backend-cron', true],
      ] as const) {
        const dc = find(result, 'DeploymentConfig', name);
        const env = envNotation(containerOf(dc, init ? 'backend-redis-svc' : name, init).env);
        for (const [k, v] of Object.entries(EXTRA)) assert.equal(env[k], v, `${name}${init ? ' init' : ''} ${k}`);
        const names = Object.keys(env);
        assert.ok(names.indexOf('CONFIG_REDIS_USERNAME') > names.indexOf('RACK_ENV'), 'appended after the 2.9 entries');
        assert.ok(!('CONFIG_REDIS_CERT' in env) && !('CONFIG_REDIS_PRIVATE_KEY' in env), 'no client certificate for storage');
        assert.deepEqual(mountsOf(dc, init ? 'backend-redis-svc' : name, init), [
          'backend-redis-tls:/tls/backend-redis',
          'queues-redis-tls:/tls/queues',
        ]);
      }
    });

    it('volumes project only the Secret keys in use', () => {
      assert.deepEqual(volumesOf(find(result, 'DeploymentConfig', 'backend-listener')), [
        {
          name: 'backend-redis-tls',
          secret: { secretName: 'backend-redis', items: [{ key: 'REDIS_SSL_CA', path: 'backend-redis-ca.crt' }] },
        },
        {
          name: 'queues-redis-tls',
          secret: {
            secretName: 'backend-redis',
            items: [
              { key: 'REDIS_SSL_QUEUES_CA', path: 'config-queues-ca.crt' },
              { key: 'REDIS_SSL_QUEUES_CERT', path: 'config-queues-client.crt' },
              { key: 'REDIS_SSL_QUEUES_KEY', path: 'config-queues-private.key' },
            ],
          },
        },
      ]);
    });

    it('the hash covers ACL keys and TLS material: a rotated certificate or password rolls the consumers', () => {
      const base = hashOf(find(result, 'DeploymentConfig', 'backend-worker'));
      const rotated = build(
        { ...EXTERNAL, backend: { redisTLSEnabled: true, queuesTLSEnabled: true } },
        { existing: secrets({ ...backendSecret, REDIS_SSL_QUEUES_CERT: PEM('NEW CERTIFICATE') }, SYSTEM_2_9) },
      );
      assert.notEqual(hashOf(find(rotated, 'DeploymentConfig', 'backend-worker')), base);
      const password = build(
        { ...EXTERNAL, backend: { redisTLSEnabled: true, queuesTLSEnabled: true } },
        { existing: secrets({ ...backendSecret, REDIS_QUEUES_PASSWORD: 'changed' }, SYSTEM_2_9) },
      );
      assert.notEqual(hashOf(find(password, 'DeploymentConfig', 'backend-worker')), base);
      const expected = hash29({ 'backend-redis': backendSecret }, [
        ...BACKEND_KEYS,
        ...Object.keys(ACL).map((k) => `backend-redis/${k}`),
        ...['REDIS_SSL_CA', 'REDIS_SSL_QUEUES_CA', 'REDIS_SSL_QUEUES_CERT', 'REDIS_SSL_QUEUES_KEY'].map((k) => `backend-redis/${k}`),
      ]);
      assert.equal(base, expected);
    });

    it('ACL keys alone (no TLS flag) add only the ACL env', () => {
      const acl = build(EXTERNAL, {
        existing: secrets({ ...BACKEND_2_9, REDIS_STORAGE_USERNAME: 'u', REDIS_STORAGE_PASSWORD: 'p' }, SYSTEM_2_9),
      });
      const env = envNotation(containerOf(find(acl, 'DeploymentConfig', 'backend-listener'), 'backend-listener').env);
      assert.equal(env.CONFIG_REDIS_USERNAME, 'sec?:backend-redis/REDIS_STORAGE_USERNAME');
      assert.equal(env.CONFIG_REDIS_PASSWORD, 'sec?:backend-redis/REDIS_STORAGE_PASSWORD');
      assert.ok(!('CONFIG_QUEUES_USERNAME' in env) && !('CONFIG_REDIS_SSL' in env));
      assert.deepEqual(volumesOf(find(acl, 'DeploymentConfig', 'backend-listener')), []);
    });
  });

  describe('system', () => {
    const systemSecret = {
      ...SYSTEM_2_9,
      ...SYSTEM_ACL,
      REDIS_SSL_CA: PEM('CERTIFICATE'),
      REDIS_SSL_CERT: PEM('CERTIFICATE'),
      REDIS_SSL_KEY: PEM('PRIVATE KEY'),
    };
    const backendSecret = {
      ...BACKEND_2_9,
      REDIS_STORAGE_USERNAME: 'porta',
      REDIS_STORAGE_PASSWORD: 'pw',
      REDIS_SSL_CA: PEM('CERTIFICATE'),
    };
    const spec = { ...EXTERNAL, backend: { redisTLSEnabled: true }, system: { redisTLSEnabled: true } };
    const result = build(spec, { existing: secrets(backendSecret, systemSecret) });
    const SYSTEM_EXTRA = {
      REDIS_USERNAME: 'sec?:system-redis/REDIS_USERNAME',
      REDIS_PASSWORD: 'sec?:system-redis/REDIS_PASSWORD',
      REDIS_SENTINEL_USERNAME: 'sec?:system-redis/REDIS_SENTINEL_USERNAME',
      REDIS_SENTINEL_PASSWORD: 'sec?:system-redis/REDIS_SENTINEL_PASSWORD',
      REDIS_SSL: '"true"',
      REDIS_CA_FILE: '"/tls/system-redis/system-redis-ca.crt"',
      REDIS_CLIENT_CERT: '"/tls/system-redis/system-redis-client.crt"',
      REDIS_PRIVATE_KEY: '"/tls/system-redis/system-redis-private.key"',
    };
    const BACKEND_EXTRA = {
      BACKEND_REDIS_USERNAME: 'sec?:backend-redis/REDIS_STORAGE_USERNAME',
      BACKEND_REDIS_PASSWORD: 'sec?:backend-redis/REDIS_STORAGE_PASSWORD',
      BACKEND_REDIS_SSL: '"true"',
      BACKEND_REDIS_CA_FILE: '"/tls/backend-redis/backend-redis-ca.crt"',
    };
    const has = (env: Record<string, string>, expected: Record<string, string>, what: string) => {
      for (const [k, v] of Object.entries(expected)) assert.equal(env[k], v, `${what} ${k}`);
    };

    it('system-app (three containers and the pre-hook) and system-sidekiq: system and backend Redis ACL and TLS, both mounts', () => {
      const app = find(result, 'DeploymentConfig', 'system-app');
      for (const c of ['system-master', 'system-provider', 'system-developer']) {
        has(envNotation(containerOf(app, c).env), { ...SYSTEM_EXTRA, ...BACKEND_EXTRA }, c);
        assert.deepEqual(
          mountsOf(app, c).filter((m) => m.includes('/tls/')),
          ['system-redis-tls:/tls/system-redis', 'backend-redis-tls:/tls/backend-redis'],
        );
      }
      const pre = (app.spec as { strategy: { rollingParams: { pre: { execNewPod: { env: { name: string }[]; volumes?: string[] } } } } })
        .strategy.rollingParams.pre.execNewPod;
      has(envNotation(pre.env), { ...SYSTEM_EXTRA, ...BACKEND_EXTRA }, 'pre-hook');
      assert.deepEqual(pre.volumes, ['system-storage', 'system-redis-tls', 'backend-redis-tls']);
      assert.deepEqual(
        volumesOf(app)
          .filter((v) => v.name.endsWith('-tls'))
          .map((v) => [v.name, v.secret?.secretName, v.secret?.items?.map((i) => i.key)]),
        [
          ['system-redis-tls', 'system-redis', ['REDIS_SSL_CA', 'REDIS_SSL_CERT', 'REDIS_SSL_KEY']],
          ['backend-redis-tls', 'backend-redis', ['REDIS_SSL_CA']],
        ],
      );
      const sidekiq = find(result, 'DeploymentConfig', 'system-sidekiq');
      has(envNotation(containerOf(sidekiq, 'system-sidekiq').env), { ...SYSTEM_EXTRA, ...BACKEND_EXTRA }, 'sidekiq');
      assert.deepEqual(
        mountsOf(sidekiq, 'system-sidekiq').filter((m) => m.includes('/tls/')),
        ['system-redis-tls:/tls/system-redis', 'backend-redis-tls:/tls/backend-redis'],
      );
    });

    it('the sidekiq check-svc init and system-sphinx read system Redis only', () => {
      const sidekiq = find(result, 'DeploymentConfig', 'system-sidekiq');
      const init = envNotation(containerOf(sidekiq, 'check-svc', true).env);
      has(init, SYSTEM_EXTRA, 'check-svc');
      assert.ok(!('BACKEND_REDIS_SSL' in init));
      assert.deepEqual(mountsOf(sidekiq, 'check-svc', true), ['system-redis-tls:/tls/system-redis']);
      const sphinx = find(result, 'DeploymentConfig', 'system-sphinx');
      const env = envNotation(containerOf(sphinx, 'system-sphinx').env);
      has(env, SYSTEM_EXTRA, 'sphinx');
      assert.ok(!('BACKEND_REDIS_USERNAME' in env));
      assert.deepEqual(
        volumesOf(sphinx).map((v) => v.name),
        ['system-sphinx-database', 'system-redis-tls'],
      );
    });

    it('on Kubernetes the pre-hook Job mounts the TLS volumes too', () => {
      const k8s = build(spec, { existing: secrets(backendSecret, systemSecret), flavour: 'kubernetes' });
      const job = find(k8s, 'Job', 'system-app-pre');
      const pod = (job.spec as { template: Pod }).template.spec;
      assert.deepEqual(
        (pod.volumes ?? []).map((v) => v.name),
        ['system-storage', 'system-redis-tls', 'backend-redis-tls'],
      );
      assert.ok((pod.containers[0]?.volumeMounts ?? []).some((m) => m.mountPath === '/tls/system-redis'));
      const deployment = find(k8s, 'Deployment', 'system-app');
      assert.ok(volumesOf(deployment).some((v) => v.name === 'system-redis-tls'));
    });

    it('system database TLS: DATABASE_SSL_* paths, DATABASE_SSL_MODE from the Secret, a 0640 Secret volume', () => {
      const db = {
        URL: 'postgresql://u:p@db/system',
        DB_SSL_CA: PEM('CERTIFICATE'),
        DB_SSL_CERT: PEM('CERTIFICATE'),
        DB_SSL_KEY: PEM('PRIVATE KEY'),
        DATABASE_SSL_MODE: 'verify-full',
      };
      const withDb = build(
        { externalComponents: { system: { database: true } }, system: { databaseTLSEnabled: true } },
        { existing: secrets(BACKEND_2_9, SYSTEM_2_9, db) },
      );
      const app = find(withDb, 'DeploymentConfig', 'system-app');
      has(
        envNotation(containerOf(app, 'system-provider').env),
        {
          DATABASE_SSL_MODE: 'sec?:system-database/DATABASE_SSL_MODE',
          DATABASE_SSL_CA: '"/tls/system-database/ca.crt"',
          DATABASE_SSL_CERT: '"/tls/system-database/tls.crt"',
          DATABASE_SSL_KEY: '"/tls/system-database/tls.key"',
        },
        'system-provider',
      );
      assert.deepEqual(
        volumesOf(app).find((v) => v.name === 'system-database-tls'),
        {
          name: 'system-database-tls',
          secret: {
            secretName: 'system-database',
            defaultMode: 0o640,
            items: [
              { key: 'DB_SSL_CA', path: 'ca.crt' },
              { key: 'DB_SSL_CERT', path: 'tls.crt' },
              { key: 'DB_SSL_KEY', path: 'tls.key' },
            ],
          },
        },
      );
      const sphinx = find(withDb, 'DeploymentConfig', 'system-sphinx');
      assert.equal(envNotation(containerOf(sphinx, 'system-sphinx').env).DATABASE_SSL_CA, '"/tls/system-database/ca.crt"');
      // The Redis consumers' hash does not cover the database: it rolls nobody.
      const plain = build({ externalComponents: { system: { database: true } } }, { existing: secrets(BACKEND_2_9, SYSTEM_2_9, db) });
      assert.equal(hashOf(find(withDb, 'DeploymentConfig', 'system-app')), hashOf(find(plain, 'DeploymentConfig', 'system-app')));
    });
  });

  describe('bad input', () => {
    let pki: Pki;
    before(async () => {
      pki = await makePki();
    });

    it('a TLS-enabled link whose Secret lacks the CA, or has half a client certificate, is named by field, Secret and key', () => {
      const tls = { backendRedis: true, queues: true, systemRedis: true, systemDatabase: true };
      const data: Record<string, Record<string, string>> = {
        'backend-redis': { REDIS_SSL_CERT: pki.clientCert, REDIS_SSL_QUEUES_CA: pki.ca, REDIS_SSL_QUEUES_KEY: pki.clientKey },
        'system-redis': { REDIS_SSL_CA: pki.ca },
      };
      assert.deepEqual(
        tlsSecretErrors(tls, (name) => data[name]),
        [
          {
            path: 'spec.backend.redisTLSEnabled',
            reason: 'Secret backend-redis has no REDIS_SSL_CA (the CA certificate to verify the server)',
          },
          {
            path: 'spec.backend.redisTLSEnabled',
            reason: 'Secret backend-redis has REDIS_SSL_CERT but no REDIS_SSL_KEY (a client certificate needs its private key)',
          },
          {
            path: 'spec.backend.queuesTLSEnabled',
            reason:
              'Secret backend-redis has REDIS_SSL_QUEUES_KEY but no REDIS_SSL_QUEUES_CERT (a private key needs its client certificate)',
          },
          { path: 'spec.system.databaseTLSEnabled', reason: 'Secret system-database not found; TLS needs its key DB_SSL_CA' },
        ],
      );
      assert.deepEqual(
        tlsSecretErrors(undefined, () => undefined),
        [],
      );
    });

    it('material that does not parse is named by key, never quoted', () => {
      const data = { REDIS_SSL_CA: PEM('CERTIFICATE'), REDIS_SSL_CERT: 'not a certificate', REDIS_SSL_KEY: pki.clientKey.slice(0, 80) };
      const errors = tlsSecretErrors({ backendRedis: false, queues: false, systemRedis: true, systemDatabase: false }, () => data);
      assert.deepEqual(errors, [
        { path: 'spec.system.redisTLSEnabled', reason: 'Secret system-redis key REDIS_SSL_CA is not a PEM certificate' },
        { path: 'spec.system.redisTLSEnabled', reason: 'Secret system-redis key REDIS_SSL_CERT is not a PEM certificate' },
        { path: 'spec.system.redisTLSEnabled', reason: 'Secret system-redis key REDIS_SSL_KEY is not a PEM private key' },
      ]);
      assert.deepEqual(
        tlsSecretErrors({ backendRedis: false, queues: false, systemRedis: true, systemDatabase: false }, () => ({
          REDIS_SSL_CA: pki.ca,
          REDIS_SSL_CERT: pki.clientCert,
          REDIS_SSL_KEY: pki.clientKey,
        })),
        [],
      );
    });

    it('the planner refuses the CR (the reconciler reports InvalidSpec with these errors) and writes nothing; the Secret is left as it is', () => {
      const existing = secrets({ ...BACKEND_2_9 }, SYSTEM_2_9);
      const before = structuredClone([...existing.entries()]);
      const outcome = apiManagerPlanner(
        apiManager({ ...EXTERNAL, backend: { queuesTLSEnabled: true } }) as never,
        existing,
        { flavour: 'openshift', workloads: 'DeploymentConfig' },
        {},
      );
      assert.equal(outcome.ok, false);
      assert.deepEqual(outcome.errors, [
        {
          path: 'spec.backend.queuesTLSEnabled',
          reason: 'Secret backend-redis has no REDIS_SSL_QUEUES_CA (the CA certificate to verify the server)',
        },
      ]);
      assert.deepEqual([...existing.entries()], before);
      const fixed = apiManagerPlanner(
        apiManager({ ...EXTERNAL, backend: { queuesTLSEnabled: true } }) as never,
        secrets({ ...BACKEND_2_9, REDIS_SSL_QUEUES_CA: pki.ca }, SYSTEM_2_9),
        { flavour: 'openshift', workloads: 'DeploymentConfig' },
        {},
      );
      assert.equal(fixed.ok, true);
    });

    it('the CR schema types the four flags as booleans', () => {
      assert.deepEqual(
        validateCr(
          'APIManager',
          apiManager({
            backend: { redisTLSEnabled: true, queuesTLSEnabled: false },
            system: { redisTLSEnabled: true, databaseTLSEnabled: true },
          }),
        ),
        [],
      );
      const errors = validateCr(
        'APIManager',
        apiManager({ backend: { redisTLSEnabled: 'yes' as never }, system: { databaseTLSEnabled: 1 as never } }),
      );
      assert.deepEqual(errors.map((e) => e.path).sort(), ['spec.backend.redisTLSEnabled', 'spec.system.databaseTLSEnabled']);
    });
  });
});
