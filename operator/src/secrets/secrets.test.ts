import assert from 'node:assert/strict';
import { modelOf } from '../testing/build.js';
import { resolveSecrets, type ExistingSecret, type ExistingSecrets } from './resolve.js';
import { operatorValueSource, templateValueSource } from './value-source.js';
import { randomString } from './random.js';
import { redisUrlProblem, sentinelHostsProblem, sentinelRoleProblem } from './redis-url.js';

const none: ExistingSecrets = new Map();
const resolve = (spec = {}, existing: ExistingSecrets = none, check = false) =>
  resolveSecrets(modelOf(spec), existing, operatorValueSource, { checkUserSecrets: check });

describe('secret resolution (operator-objects §6)', () => {
  it('generates values with the documented lengths and defaults', () => {
    const { effective } = resolve();
    const alnum = (n: number) => new RegExp(`^[a-zA-Z0-9]{${n}}$`);
    assert.match(effective['backend-internal-api']?.password ?? '', alnum(8));
    assert.equal(effective['backend-internal-api']?.username, '3scale_api_user');
    assert.match(effective['system-seed']?.ADMIN_ACCESS_TOKEN ?? '', alnum(16));
    assert.match(effective['system-app']?.SECRET_KEY_BASE ?? '', alnum(128));
    assert.match(effective.zync?.ZYNC_DATABASE_PASSWORD ?? '', alnum(16));
    assert.equal(effective['backend-listener']?.route_endpoint, 'https://backend-3scale.example.com');
    assert.equal(effective['system-redis']?.MESSAGE_BUS_URL, '');
    assert.equal(effective['system-seed']?.TENANT_NAME, '3scale');
    assert.deepEqual(Object.keys(effective['system-smtp'] ?? {}), [
      'address',
      'username',
      'password',
      'domain',
      'port',
      'authentication',
      'openssl.verify.mode',
    ]);
  });

  it('two resolutions never share generated values (fresh CSPRNG output)', () => {
    assert.notEqual(resolve().effective['system-app']?.SECRET_KEY_BASE, resolve().effective['system-app']?.SECRET_KEY_BASE);
    const sample = new Set(Array.from({ length: 2000 }, () => randomString(1)));
    assert.equal(sample.size, 62, 'every alphanumeric character is reachable');
  });

  it('existing keys win (even empty), missing keys are added, unknown keys are kept', () => {
    const existing: ExistingSecrets = new Map<string, ExistingSecret>([
      ['system-master-apicast', { data: { ACCESS_TOKEN: 'tok123', BASE_URL: 'http://old' }, userProvided: false }],
      ['zync', { data: { ZYNC_DATABASE_PASSWORD: 'zpw' }, userProvided: false }],
      ['system-seed', { data: { ADMIN_ACCESS_TOKEN: '', ADMIN_PASSWORD: 'secret' }, userProvided: false }],
    ]);
    const { effective } = resolve({}, existing);
    assert.equal(effective['system-master-apicast']?.PROXY_CONFIGS_ENDPOINT, 'http://tok123@system-master:3000/master/api/proxy/configs');
    assert.equal(effective['system-master-apicast'].BASE_URL, 'http://old');
    assert.equal(effective.zync?.DATABASE_URL, 'postgresql://zync:zpw@zync-database:5432/zync_production');
    assert.equal(effective['system-seed']?.ADMIN_ACCESS_TOKEN, '');
    assert.equal(effective['system-seed'].ADMIN_PASSWORD, 'secret');
    assert.equal(effective['apicast-configuration-url-secret']?.password, 'https://@3scale-admin.example.com');
  });

  it('HA: backend-redis, system-redis, system-database are user-provided and never emitted', () => {
    const r = resolve({ highAvailability: { enabled: true } });
    assert.deepEqual([...r.userProvided].sort(), ['backend-redis', 'system-database', 'system-redis']);
    assert.ok(!r.operatorSecrets.some((s) => r.userProvided.has(s.name)));
  });

  it("an external zync database makes the zync Secret the user's, checked for the keys zync and system read", () => {
    const r = resolve({ externalComponents: { zync: { database: true } } });
    assert.deepEqual([...r.userProvided], ['zync']);
    const bad = new Map<string, ExistingSecret>([
      ['zync', { data: { DATABASE_URL: 'mysql://zync:pw@db/zync', SECRET_KEY_BASE: 'k' }, userProvided: true }],
    ]);
    assert.deepEqual(resolve({ externalComponents: { zync: { database: true } } }, bad, true).findings, [
      { secret: 'zync', key: 'DATABASE_URL', reason: 'not a PostgreSQL URL postgresql://[user:password@]host[:port]/database' },
      { secret: 'zync', key: 'ZYNC_AUTHENTICATION_TOKEN', reason: 'key missing' },
    ]);
    const good = new Map<string, ExistingSecret>([
      [
        'zync',
        {
          data: { DATABASE_URL: 'postgresql://zync:pw@pg.example:5432/zync', SECRET_KEY_BASE: 'k', ZYNC_AUTHENTICATION_TOKEN: 't' },
          userProvided: true,
        },
      ],
    ]);
    assert.deepEqual(resolve({ externalComponents: { zync: { database: true } } }, good, true).findings, []);
    assert.equal(resolve({ externalComponents: { zync: { database: true } } }, good).effective.zync?.ZYNC_AUTHENTICATION_TOKEN, 't');
  });

  it('HA checks report each problem with secret and key, never the value', () => {
    const existing: ExistingSecrets = new Map<string, ExistingSecret>([
      [
        'backend-redis',
        {
          data: {
            REDIS_STORAGE_URL: 'redis://:hunter2@redis-a:6379/0',
            REDIS_QUEUES_URL: 'http://hunter2@x',
            REDIS_STORAGE_SENTINEL_HOSTS: 'nohostport',
            REDIS_STORAGE_SENTINEL_ROLE: 'leader',
            REDIS_QUEUES_SENTINEL_HOSTS: '',
            REDIS_QUEUES_SENTINEL_ROLE: '',
          },
          userProvided: true,
        },
      ],
      ['system-redis', { data: { URL: 'redis://system:6379/1' }, userProvided: true }],
    ]);
    const { findings } = resolve({ highAvailability: { enabled: true } }, existing, true);
    assert.deepEqual(findings, [
      { secret: 'backend-redis', key: 'REDIS_QUEUES_URL', reason: 'scheme must be redis://, rediss:// or redis+sentinel://' },
      { secret: 'backend-redis', key: 'REDIS_STORAGE_SENTINEL_HOSTS', reason: 'entry is not [redis[s]://][[user]:password@]host:port' },
      { secret: 'backend-redis', key: 'REDIS_STORAGE_SENTINEL_ROLE', reason: 'must be empty, master or slave' },
      { secret: 'system-redis', key: 'SENTINEL_HOSTS', reason: 'key missing' },
      { secret: 'system-redis', key: 'SENTINEL_ROLE', reason: 'key missing' },
      { secret: 'system-redis', key: 'MESSAGE_BUS_URL', reason: 'key missing' },
      { secret: 'system-redis', key: 'MESSAGE_BUS_SENTINEL_HOSTS', reason: 'key missing' },
      { secret: 'system-redis', key: 'MESSAGE_BUS_SENTINEL_ROLE', reason: 'key missing' },
      { secret: 'system-redis', key: 'NAMESPACE', reason: 'key missing' },
      { secret: 'system-redis', key: 'MESSAGE_BUS_NAMESPACE', reason: 'key missing' },
      { secret: 'system-database', reason: 'secret not found' },
    ]);
    assert.ok(!JSON.stringify(findings).includes('hunter2'));
  });

  it('HA system-database URL accepts mysql2, postgresql and oracle-enhanced only', () => {
    const check = (url: string) =>
      resolve(
        { highAvailability: { enabled: true } },
        new Map([['system-database', { data: { URL: url }, userProvided: true }]]),
        true,
      ).findings.filter((f) => f.secret === 'system-database');
    assert.deepEqual(check('oracle-enhanced://user:pw@oracle:1521/threescale'), []);
    assert.deepEqual(check('postgresql://u:p@h/db'), []);
    assert.deepEqual(check('mongodb://u:p@h/db'), [
      { secret: 'system-database', key: 'URL', reason: 'scheme must be one of mysql2, postgresql, oracle-enhanced' },
    ]);
  });

  it('S3 secret: required keys checked, optional ones not', () => {
    const spec = { system: { fileStorage: { simpleStorageService: { configurationSecretRef: { name: 'aws' } } } } };
    const existing: ExistingSecrets = new Map([
      ['aws', { data: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_BUCKET: '' }, userProvided: true }],
    ]);
    assert.deepEqual(resolve(spec, existing, true).findings, [
      { secret: 'aws', key: 'AWS_BUCKET', reason: 'required value is empty' },
      { secret: 'aws', key: 'AWS_REGION', reason: 'key missing' },
    ]);
  });

  it('a user-created backend-redis in non-HA mode is read-only and validated', () => {
    const existing: ExistingSecrets = new Map([['backend-redis', { data: { REDIS_STORAGE_URL: 'redis://a:6379/0' }, userProvided: true }]]);
    const r = resolve({}, existing, true);
    assert.ok(!r.operatorSecrets.some((s) => s.name === 'backend-redis'));
    assert.deepEqual(
      r.findings.map((f) => f.key),
      [
        'REDIS_QUEUES_URL',
        'REDIS_STORAGE_SENTINEL_HOSTS',
        'REDIS_STORAGE_SENTINEL_ROLE',
        'REDIS_QUEUES_SENTINEL_HOSTS',
        'REDIS_QUEUES_SENTINEL_ROLE',
      ],
    );
  });

  it('template value source puts ${PARAM} references and keeps literals', () => {
    const r = resolveSecrets(modelOf(), none, templateValueSource, { checkUserSecrets: false });
    assert.equal(r.effective['system-database']?.URL, 'mysql2://root:${SYSTEM_DATABASE_ROOT_PASSWORD}@system-mysql/${SYSTEM_DATABASE}');
    assert.equal(
      r.effective['system-master-apicast']?.PROXY_CONFIGS_ENDPOINT,
      'http://${APICAST_ACCESS_TOKEN}@system-master:3000/master/api/proxy/configs',
    );
    assert.equal(r.effective.zync?.DATABASE_URL, 'postgresql://zync:${ZYNC_DATABASE_PASSWORD}@zync-database:5432/zync_production');
    assert.equal(r.effective['backend-listener']?.service_endpoint, 'http://backend-listener:3000');
    assert.equal(r.effective['system-seed']?.ADMIN_ACCESS_TOKEN, '${ADMIN_ACCESS_TOKEN}');
  });
});

describe('Redis URL grammar (README "Redis URLs")', () => {
  it('accepts the plain and Sentinel forms', () => {
    for (const url of [
      'redis://host',
      'redis://host:6379',
      'redis://pw@host:6379/2',
      'redis://user:pw@host/15',
      'redis://:pw@mymaster/5',
      'redis+sentinel://:pw@s1:26379,s2:26380/mymaster/1',
      'redis+sentinel://s1:26379/mymaster',
      'redis://[::1]:6379',
      'rediss://user:pw@host:6380/1',
    ]) {
      assert.equal(redisUrlProblem(url), undefined, url);
    }
  });
  it('rejects other schemes, bad ports, db above 15, sentinel without port or master', () => {
    assert.equal(redisUrlProblem('http://h'), 'scheme must be redis://, rediss:// or redis+sentinel://');
    assert.equal(redisUrlProblem('redis://h:70000'), 'port out of range 1-65535');
    assert.equal(redisUrlProblem('redis://h/16'), 'database index above 15');
    assert.ok(redisUrlProblem('redis+sentinel://s1/mymaster') !== undefined);
    assert.ok(redisUrlProblem('redis+sentinel://s1:26379') !== undefined);
    assert.equal(redisUrlProblem(''), 'empty');
  });
  it('sentinel hosts and roles', () => {
    assert.equal(sentinelHostsProblem(':sentinelpwd@10.0.0.1:26379,:sentinelpwd@sentinel-b:26379'), undefined);
    assert.equal(sentinelHostsProblem('redis://s:26379'), undefined);
    assert.equal(sentinelHostsProblem(''), undefined);
    assert.ok(sentinelHostsProblem('s1:26379,s2') !== undefined);
    assert.equal(sentinelRoleProblem('slave'), undefined);
    assert.ok(sentinelRoleProblem('replica') !== undefined);
  });
});
