/**
 * The preflight probes against real servers: Redis (plain, ACL user, Sentinel group, TLS), MariaDB and
 * PostgreSQL started for this file; a listener that never answers shows the deadline.
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisCommand, startRedis, startSentinelGroup, type RedisServer, type SentinelGroup } from '../../../../test/support/redis.js';
import { startMariaDb, startPostgres, type DatabaseServer } from '../../../../test/support/databases.js';
import { startProcess, type ManagedProcess } from '../../../../test/support/process.js';
import { freePort } from '../../../../test/support/ports.js';
import { selfSignedCertificate, type TestCertificate } from '../../../../gateway/test-support/tls-certificates.js';
import { mysqlVersion, observe, postgresqlVersion, probeTargets, redisVersion, type ProbeTarget } from './probe.js';
import { judge, parseRequirements } from './decide.js';

const REDIS_VERSION = /^\d+\.\d+\.\d+$/;

describe('preflights: probes against real servers', function () {
  this.timeout(120_000);

  describe('Redis', () => {
    let plain: RedisServer;
    let group: SentinelGroup;
    let tls: { port: number; process: ManagedProcess; cert: TestCertificate };
    let hung: Server;
    let hungPort: number;
    const sockets: Socket[] = [];
    before(async () => {
      plain = await startRedis();
      await redisCommand(plain.port, 'ACL SETUSER preflight on >s3cret-Pw ~* +@all');
      group = await startSentinelGroup('pfMaster');
      const cert = await selfSignedCertificate('localhost');
      const port = await freePort();
      const dir = await mkdtemp(join(tmpdir(), 'redis-tls-'));
      const proc = await startProcess({
        name: `redis-server-tls:${port}`,
        command: 'redis-server',
        args: [
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--save',
          '',
          '--tls-cert-file',
          cert.certFile,
          '--tls-key-file',
          cert.keyFile,
          '--tls-ca-cert-file',
          cert.certFile,
          '--tls-auth-clients',
          'no',
        ],
        ready: async () => redisVersion(`rediss://127.0.0.1:${port}`, '', { ca: cert.cert }).then(() => true),
      });
      tls = { port, process: proc, cert };
      hungPort = await freePort();
      hung = createServer((socket) => {
        sockets.push(socket); /* accepts, never answers */
      });
      await new Promise<void>((resolve) => hung.listen(hungPort, '127.0.0.1', resolve));
    });
    after(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => hung.close(resolve));
      await Promise.all([plain.stop(), group.stop(), tls.process.stop()]);
    });

    it('plain: INFO server → redis_version', async () => {
      assert.match(await redisVersion(`redis://127.0.0.1:${plain.port}/1`, ''), REDIS_VERSION);
    });

    it('an ACL user (redis://user:pass@host); a wrong password fails without echoing it', async () => {
      assert.match(await redisVersion(`redis://preflight:s3cret-Pw@127.0.0.1:${plain.port}/0`, ''), REDIS_VERSION);
      const [observation] = await observe([
        {
          kind: 'redis',
          requirement: 'systemRedis',
          component: 'system-redis URL',
          url: `redis://preflight:wr0ng-Pw@127.0.0.1:${plain.port}/0`,
          sentinelHosts: '',
        },
      ]);
      assert.ok('error' in observation, 'wrong password is an error');
      assert.match(observation.error, /WRONGPASS|invalid/i);
      assert.ok(!observation.error.includes('wr0ng-Pw') && !observation.error.includes('preflight'), observation.error);
    });

    it('Sentinel: the URL host is the group (case kept); the master found through SENTINEL_HOSTS answers (both 3scale forms)', async () => {
      const hosts = group.sentinels.map((s) => `redis://127.0.0.1:${s.port}`).join(',');
      assert.match(await redisVersion('redis://pfMaster/0', hosts), REDIS_VERSION);
      assert.match(await redisVersion(group.url, ''), REDIS_VERSION, 'redis+sentinel:// URL');
      // A dead first sentinel: the next one is asked.
      assert.match(await redisVersion('redis://pfMaster/0', `127.0.0.1:${await freePort()},${hosts}`), REDIS_VERSION);
      await assert.rejects(redisVersion('redis://nosuchgroup/0', hosts), /does not know group "nosuchgroup"/);
    });

    it('TLS (rediss://) verified against the CA from the secret; without it the self-signed server is refused', async () => {
      assert.match(await redisVersion(`rediss://127.0.0.1:${tls.port}/0`, '', { ca: tls.cert.cert }), REDIS_VERSION);
      await assert.rejects(redisVersion(`rediss://127.0.0.1:${tls.port}/0`, ''), /self[- ]signed|certificate/i);
    });

    it('a server that accepts but never answers costs the deadline, not the loop', async () => {
      const started = Date.now();
      const [observation] = await observe(
        [
          {
            kind: 'redis',
            requirement: 'backendRedis',
            component: 'backend-redis REDIS_STORAGE_URL',
            url: `redis://127.0.0.1:${hungPort}/0`,
            sentinelHosts: '',
          },
        ],
        3000,
      );
      assert.ok('error' in observation);
      assert.ok(Date.now() - started < 3500, `took ${Date.now() - started} ms`);
    });

    it('targets from the secrets: only external components, each asked once; versions judged', async () => {
      const url = `redis://127.0.0.1:${plain.port}`;
      const values = (secret: string): Record<string, string> =>
        ({
          'backend-redis': {
            REDIS_STORAGE_URL: `${url}/0`,
            REDIS_QUEUES_URL: `${url}/1`,
            REDIS_STORAGE_SENTINEL_HOSTS: '',
            REDIS_QUEUES_SENTINEL_HOSTS: '',
          },
          'system-redis': { URL: 'redis://pfMaster/1', SENTINEL_HOSTS: group.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',') },
          'system-database': { URL: 'oracle-enhanced://u:p@db/system' },
        })[secret] ?? {};
      assert.deepEqual(probeTargets({ backendRedis: false, systemRedis: false, systemDatabase: false }, values), []);
      const targets = probeTargets({ backendRedis: true, systemRedis: true, systemDatabase: true }, values);
      assert.deepEqual(
        targets.map((t) => t.component),
        ['backend-redis REDIS_STORAGE_URL', 'backend-redis REDIS_QUEUES_URL', 'system-redis URL'],
        'Oracle is not checked',
      );
      const observations = await observe(targets);
      assert.ok(
        observations.every((o) => 'version' in o),
        JSON.stringify(observations),
      );
      const verdict = judge(parseRequirements({ backend_redis_version: '99.0', system_redis_version: '6.0' }), observations);
      assert.equal(verdict.ok, false);
      assert.match(
        (verdict as { failures: string[] }).failures.join('; '),
        /backend-redis REDIS_STORAGE_URL: version \d+\.\d+\.\d+ is below the minimum 99\.0 \(backend_redis_version\)/,
      );
      assert.equal((verdict as { failures: string[] }).failures.length, 2, 'system-redis passes');
    });
  });

  describe('MariaDB', () => {
    let db: DatabaseServer;
    before(async function () {
      this.timeout(120_000);
      db = await startMariaDb();
    });
    after(async () => {
      // Unset when before() failed.
      await (db as DatabaseServer | undefined)?.stop();
    });

    it("SELECT VERSION() with the URL's user and password (mysql2://)", async () => {
      const version = await mysqlVersion(db.url);
      assert.equal(version, db.version);
      assert.match(version, /MariaDB/);
      const [observation] = await observe(
        probeTargets({ backendRedis: false, systemRedis: false, systemDatabase: true }, () => ({ URL: db.url })),
      );
      assert.deepEqual(observation, { requirement: 'mysql', component: 'system-database (MariaDB)', version });
    });

    it('a wrong password is an error naming neither user nor password', async () => {
      const [observation] = await observe([
        {
          kind: 'mysql',
          requirement: 'mysql',
          component: 'system-database (MySQL)',
          url: `mysql2://${db.user}:Wr0ngPassw0rd@127.0.0.1:${db.port}/system`,
        } satisfies ProbeTarget,
      ]);
      assert.ok('error' in observation);
      assert.match(observation.error, /Access denied/);
      assert.ok(!observation.error.includes('Wr0ngPassw0rd') && !observation.error.includes(db.user), observation.error);
    });
  });

  describe('PostgreSQL', () => {
    let db: DatabaseServer;
    before(async function () {
      this.timeout(120_000);
      db = await startPostgres();
    });
    after(async () => {
      // Unset when before() failed.
      await (db as DatabaseServer | undefined)?.stop();
    });

    it("SHOW server_version with the URL's user and password (postgresql://)", async () => {
      const version = await postgresqlVersion(db.url);
      assert.equal(version, db.version);
      const [observation] = await observe(
        probeTargets({ backendRedis: false, systemRedis: false, systemDatabase: true }, () => ({ URL: db.url })),
      );
      assert.deepEqual(observation, { requirement: 'postgresql', component: 'system-database (PostgreSQL)', version });
      const verdict = judge(parseRequirements({ postgres_version: '99' }), [observation]);
      assert.deepEqual(verdict, {
        ok: false,
        failures: [`system-database (PostgreSQL): version ${version} is below the minimum 99 (postgres_version)`],
      });
    });

    it('a wrong password is an error naming neither user nor password', async () => {
      const [observation] = await observe([
        {
          kind: 'postgresql',
          requirement: 'postgresql',
          component: 'system-database (PostgreSQL)',
          url: `postgresql://${db.user}:Wr0ngPassw0rd@127.0.0.1:${db.port}/system`,
        } satisfies ProbeTarget,
      ]);
      assert.ok('error' in observation);
      assert.match(observation.error, /password authentication failed/);
      assert.ok(!observation.error.includes('Wr0ngPassw0rd') && !observation.error.includes(db.user), observation.error);
    });
  });
});
