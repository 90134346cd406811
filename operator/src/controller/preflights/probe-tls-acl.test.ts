/**
 * The preflight probes with the 2.15+ Redis settings, against real servers started here: a redis-server that
 * only speaks TLS and requires client certificates, with the default user off and an ACL user; and a
 * redis-sentinel that also only speaks TLS, with its own ACL user, monitoring that server. Certificates come
 * from a throw-away CA made with openssl. The credentials and material come from Secret keys
 * (REDIS_*_USERNAME / _PASSWORD, *_SENTINEL_USERNAME / _PASSWORD, REDIS_SSL_*), as probeTargets reads them; the
 * Redis migration's reachability check (run before it rolls a consumer) reads the same keys.
 */
import assert from 'node:assert/strict';
import { makePki, startTlsRedis, startTlsSentinel, type Pki, type TlsRedis } from '../../../../test/support/redis-tls.js';
import { observe, probeTargets, redisVersion } from './probe.js';
import { consumerEndpoints } from '../redis-migration/endpoints.js';
import { probeEndpoint } from '../redis-migration/probe.js';
import { startMariaDb, startPostgres, type DatabaseServer } from '../../../../test/support/databases.js';
import { readFile } from 'node:fs/promises';

const REDIS_VERSION = /^\d+\.\d+\.\d+$/;

describe('preflights: Redis over TLS with ACL users (real redis-server and redis-sentinel)', function () {
  this.timeout(120_000);
  let pki: Pki;
  let redis: TlsRedis;
  let sentinel: TlsRedis;
  const USER = 'apisonator';
  const PASSWORD = 'Acl-s3cret';
  const SENTINEL_USER = 'sentinel-user';
  const SENTINEL_PASSWORD = 'Sentinel-s3cret';
  const material = () => ({ ca: pki.ca, cert: pki.clientCert, key: pki.clientKey });

  before(async () => {
    pki = await makePki();
    redis = await startTlsRedis(pki, { username: USER, password: PASSWORD });
    sentinel = await startTlsSentinel(
      pki,
      'TlsGroup',
      { port: redis.port, username: USER, password: PASSWORD },
      { username: SENTINEL_USER, password: SENTINEL_PASSWORD },
    );
    // The probe itself, with the material and the ACL user, on both.
    assert.match(
      await redisVersion(`rediss://127.0.0.1:${redis.port}/0`, '', material(), { auth: { username: USER, password: PASSWORD } }),
      REDIS_VERSION,
    );
    assert.match(
      await redisVersion(`rediss://127.0.0.1:${sentinel.port}`, '', material(), {
        auth: { username: SENTINEL_USER, password: SENTINEL_PASSWORD },
      }),
      REDIS_VERSION,
    );
  });
  after(async () => {
    // Unset when before() failed part-way.
    await Promise.all([(redis as TlsRedis | undefined)?.stop(), (sentinel as TlsRedis | undefined)?.stop()]);
  });

  it('the server really requires TLS, a client certificate and the ACL user', async () => {
    await assert.rejects(redisVersion(`redis://127.0.0.1:${redis.port}/0`, ''), 'plain TCP is refused');
    await assert.rejects(
      redisVersion(`rediss://127.0.0.1:${redis.port}/0`, '', { ca: pki.ca }, { auth: { username: USER, password: PASSWORD } }),
      'no client certificate',
    );
    await assert.rejects(
      redisVersion(`rediss://127.0.0.1:${redis.port}/0`, '', material()),
      /NOAUTH|WRONGPASS|auth/i,
      'default user is off',
    );
  });

  it('backend-redis: REDIS_STORAGE_* and REDIS_QUEUES_* ACL keys, REDIS_SSL_* and REDIS_SSL_QUEUES_* material; redis:// URLs with the *TLSEnabled flags', async () => {
    const url = `redis://127.0.0.1:${redis.port}`;
    const backend: Record<string, string> = {
      REDIS_STORAGE_URL: `${url}/0`,
      REDIS_QUEUES_URL: `${url}/1`,
      REDIS_STORAGE_SENTINEL_HOSTS: '',
      REDIS_QUEUES_SENTINEL_HOSTS: '',
      REDIS_STORAGE_USERNAME: USER,
      REDIS_STORAGE_PASSWORD: PASSWORD,
      REDIS_QUEUES_USERNAME: USER,
      REDIS_QUEUES_PASSWORD: PASSWORD,
      REDIS_SSL_CA: pki.ca,
      REDIS_SSL_CERT: pki.clientCert,
      REDIS_SSL_KEY: pki.clientKey,
      REDIS_SSL_QUEUES_CA: pki.ca,
      REDIS_SSL_QUEUES_CERT: pki.clientCert,
      REDIS_SSL_QUEUES_KEY: pki.clientKey,
    };
    const external = { backendRedis: true, systemRedis: false, systemDatabase: false };
    const targets = probeTargets(external, () => backend, { backendRedis: true, queues: true });
    const observations = await observe(targets);
    assert.deepEqual(
      observations.map((o) => o.component),
      ['backend-redis REDIS_STORAGE_URL', 'backend-redis REDIS_QUEUES_URL'],
    );
    assert.ok(
      observations.every((o) => 'version' in o && REDIS_VERSION.test(o.version)),
      JSON.stringify(observations),
    );
    // Without the flags, a redis:// URL is plain TCP: the TLS-only server does not answer it.
    const [plain] = await observe(probeTargets(external, () => ({ ...backend, REDIS_STORAGE_URL: `${url}/2` })).slice(0, 1));
    assert.ok('error' in plain, JSON.stringify(plain));
  });

  it('a wrong ACL password is an error that names neither the user nor the password', async () => {
    const system = {
      URL: `rediss://127.0.0.1:${redis.port}/3`,
      SENTINEL_HOSTS: '',
      REDIS_USERNAME: USER,
      REDIS_PASSWORD: 'Wr0ng-Pw',
      REDIS_SSL_CA: pki.ca,
      REDIS_SSL_CERT: pki.clientCert,
      REDIS_SSL_KEY: pki.clientKey,
    };
    const [observation] = await observe(
      probeTargets({ backendRedis: false, systemRedis: true, systemDatabase: false }, () => system, { systemRedis: true }),
    );
    assert.ok('error' in observation, JSON.stringify(observation));
    assert.match(observation.error, /WRONGPASS|invalid/i);
    assert.ok(!observation.error.includes('Wr0ng-Pw') && !observation.error.includes(USER), observation.error);
  });

  it('system-redis through a TLS Sentinel: rediss:// sentinel hosts, REDIS_SENTINEL_USERNAME / _PASSWORD for the sentinel, REDIS_USERNAME / _PASSWORD for the master', async () => {
    const system = {
      URL: 'redis://TlsGroup/1',
      SENTINEL_HOSTS: `rediss://127.0.0.1:${sentinel.port}`,
      SENTINEL_ROLE: 'master',
      REDIS_USERNAME: USER,
      REDIS_PASSWORD: PASSWORD,
      REDIS_SENTINEL_USERNAME: SENTINEL_USER,
      REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
      REDIS_SSL_CA: pki.ca,
      REDIS_SSL_CERT: pki.clientCert,
      REDIS_SSL_KEY: pki.clientKey,
    };
    const external = { backendRedis: false, systemRedis: true, systemDatabase: false };
    const [ok] = await observe(probeTargets(external, () => system, { systemRedis: true }));
    assert.ok('version' in ok && REDIS_VERSION.test(ok.version), JSON.stringify(ok));
    // The sentinel's own ACL user is needed: without it the sentinel refuses the lookup.
    const { REDIS_SENTINEL_USERNAME: _u, REDIS_SENTINEL_PASSWORD: _p, ...withoutSentinelAcl } = system;
    const [refused] = await observe(
      probeTargets(external, () => ({ ...withoutSentinelAcl, URL: 'redis://TlsGroup/2' }), { systemRedis: true }),
    );
    assert.ok('error' in refused, JSON.stringify(refused));
    assert.match(refused.error, /sentinel 127\.0\.0\.1:\d+: .*(NOAUTH|auth)/i);
  });

  it("the Redis migration's reachability check before a roll uses the same ACL keys, material and flags (direct and through the TLS Sentinel)", async () => {
    const values = {
      'backend-redis': {
        REDIS_STORAGE_URL: `redis://127.0.0.1:${redis.port}/0`,
        REDIS_STORAGE_SENTINEL_HOSTS: '',
        REDIS_STORAGE_SENTINEL_ROLE: '',
        REDIS_QUEUES_URL: 'redis://TlsGroup/1',
        REDIS_QUEUES_SENTINEL_HOSTS: `rediss://127.0.0.1:${sentinel.port}`,
        REDIS_QUEUES_SENTINEL_ROLE: 'master',
        REDIS_STORAGE_USERNAME: USER,
        REDIS_STORAGE_PASSWORD: PASSWORD,
        REDIS_QUEUES_USERNAME: USER,
        REDIS_QUEUES_PASSWORD: PASSWORD,
        REDIS_QUEUES_SENTINEL_USERNAME: SENTINEL_USER,
        REDIS_QUEUES_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
        REDIS_SSL_CA: pki.ca,
        REDIS_SSL_CERT: pki.clientCert,
        REDIS_SSL_KEY: pki.clientKey,
        REDIS_SSL_QUEUES_CA: pki.ca,
        REDIS_SSL_QUEUES_CERT: pki.clientCert,
        REDIS_SSL_QUEUES_KEY: pki.clientKey,
      },
    };
    const endpoints = consumerEndpoints('backend-worker', values, { backendRedis: true, queues: true });
    assert.deepEqual(
      endpoints.map((e) => e.urlKey),
      ['REDIS_STORAGE_URL', 'REDIS_QUEUES_URL'],
    );
    for (const endpoint of endpoints) assert.equal(await probeEndpoint(endpoint), undefined, endpoint.urlKey);
    // Without the flag the storage URL is plain TCP: the check refuses to roll, naming secret and key only.
    const [plain] = consumerEndpoints('backend-worker', values);
    const problem = await probeEndpoint(plain);
    assert.equal(problem?.secret, 'backend-redis');
    assert.equal(problem.key, 'REDIS_STORAGE_URL');
    assert.ok(!problem.reason.includes(PASSWORD), problem.reason);
  });
});

describe('preflights: the system database over TLS (real PostgreSQL that accepts only TLS clients)', function () {
  this.timeout(120_000);
  let pki: Pki;
  let db: DatabaseServer;
  before(async function () {
    this.timeout(120_000);
    pki = await makePki();
    db = await startPostgres({
      tls: { cert: await readFile(pki.files.serverCert, 'utf8'), key: await readFile(pki.files.serverKey, 'utf8') },
    });
  });
  after(async () => {
    // Unset when before() failed.
    await (db as DatabaseServer | undefined)?.stop();
  });
  const external = { backendRedis: false, systemRedis: false, systemDatabase: true };

  it('databaseTLSEnabled: verified against DB_SSL_CA from the Secret; without the flag the plain connection is refused', async () => {
    const secret = { URL: db.url, DB_SSL_CA: pki.ca };
    const [ok] = await observe(probeTargets(external, () => secret, { systemDatabase: true }));
    assert.deepEqual(ok, { requirement: 'postgresql', component: 'system-database (PostgreSQL)', version: db.version });
    const [plain] = await observe(probeTargets(external, () => secret));
    assert.ok('error' in plain, JSON.stringify(plain));
    assert.match(plain.error, /no encryption|pg_hba/i);
    assert.ok(!plain.error.includes(db.password), plain.error);
  });

  it('the CA is checked: another CA fails, DATABASE_SSL_MODE=require skips verification', async () => {
    const other = await makePki();
    const [wrong] = await observe(probeTargets(external, () => ({ URL: `${db.url}?x=1`, DB_SSL_CA: other.ca }), { systemDatabase: true }));
    assert.ok('error' in wrong, JSON.stringify(wrong));
    assert.match(wrong.error, /certificate|self[- ]signed|verify/i);
    const [required] = await observe(
      probeTargets(external, () => ({ URL: `${db.url}?x=2`, DB_SSL_CA: other.ca, DATABASE_SSL_MODE: 'require' }), { systemDatabase: true }),
    );
    assert.deepEqual(required, { requirement: 'postgresql', component: 'system-database (PostgreSQL)', version: db.version });
  });
});

describe('preflights: the system database over TLS (real MariaDB with require_secure_transport)', function () {
  this.timeout(180_000);
  let pki: Pki;
  let db: DatabaseServer;
  before(async function () {
    this.timeout(180_000);
    pki = await makePki();
    db = await startMariaDb({
      user: 'root',
      tls: { cert: await readFile(pki.files.serverCert, 'utf8'), key: await readFile(pki.files.serverKey, 'utf8') },
    });
  });
  after(async () => {
    // Unset when before() failed.
    await (db as DatabaseServer | undefined)?.stop();
  });
  const external = { backendRedis: false, systemRedis: false, systemDatabase: true };

  it('databaseTLSEnabled: mysql2:// over TLS verified against DB_SSL_CA; plain TCP refused; another CA refused', async () => {
    const [ok] = await observe(probeTargets(external, () => ({ URL: db.url, DB_SSL_CA: pki.ca }), { systemDatabase: true }));
    assert.deepEqual(ok, { requirement: 'mysql', component: 'system-database (MariaDB)', version: db.version });
    const [plain] = await observe(probeTargets(external, () => ({ URL: db.url })));
    assert.ok('error' in plain, JSON.stringify(plain));
    assert.ok(!plain.error.includes(db.password), plain.error);
    const other = await makePki();
    const [wrong] = await observe(probeTargets(external, () => ({ URL: db.url, DB_SSL_CA: other.ca }), { systemDatabase: true }));
    assert.ok('error' in wrong, JSON.stringify(wrong));
  });
});
