import assert from 'node:assert/strict';
import { build, containerOf, envNotation, find, secretData } from '../../testing/build.js';
import { parseDatabaseUrl } from './url.js';

describe('system database builder (operator-objects §4.4, §4.5)', () => {
  it('MySQL: root password and database name are literals parsed from the effective URL', () => {
    const result = build();
    const url = secretData(result, 'system-database').URL ?? '';
    assert.match(url, /^mysql2:\/\/root:[a-zA-Z0-9]{8}@system-mysql\/system$/);
    const env = containerOf(find(result, 'DeploymentConfig', 'system-mysql'), 'system-mysql').env ?? [];
    assert.deepEqual(envNotation(env), {
      MYSQL_USER: 'sec:system-database/DB_USER',
      MYSQL_PASSWORD: 'sec:system-database/DB_PASSWORD',
      MYSQL_DATABASE: '"system"',
      MYSQL_ROOT_PASSWORD: JSON.stringify(parseDatabaseUrl(url)?.password),
      MYSQL_LOWER_CASE_TABLE_NAMES: '"1"',
      MYSQL_DEFAULTS_FILE: '"/etc/my-extra/my.cnf"',
    });
  });

  it('MySQL with an existing secret: env follows the existing URL, not a new random one', () => {
    const existing = new Map([['system-database', { data: { URL: 'mysql2://root:keepme@system-mysql/mydb' }, userProvided: false }]]);
    const result = build({}, { existing });
    const env = envNotation(containerOf(find(result, 'DeploymentConfig', 'system-mysql'), 'system-mysql').env);
    assert.equal(env.MYSQL_ROOT_PASSWORD, '"keepme"');
    assert.equal(env.MYSQL_DATABASE, '"mydb"');
    assert.equal(secretData(result, 'system-database').URL, 'mysql2://root:keepme@system-mysql/mydb');
    assert.equal(secretData(result, 'system-database').DB_USER, 'mysql');
  });

  it('a system-database URL that is not mysql2://root:… is reported as a finding (no value)', () => {
    const existing = new Map([['system-database', { data: { URL: 'mysql2://admin:pw@h/db' }, userProvided: false }]]);
    const result = build({}, { existing });
    assert.deepEqual(result.findings, [{ secret: 'system-database', key: 'URL', reason: 'MySQL URL user must be root' }]);
  });

  it('a user-created system-database is read-only but still checked, since the MySQL env derives from it', () => {
    const existing = new Map([['system-database', { data: { URL: 'postgresql://u:p@h/db' }, userProvided: true }]]);
    const result = build({}, { existing });
    assert.ok(!result.objects.some((o) => o.object.kind === 'Secret' && o.object.metadata.name === 'system-database'));
    assert.deepEqual(result.findings, [
      { secret: 'system-database', key: 'URL', reason: 'must be mysql2://<user>:<password>@<host>/<database>' },
    ]);
  });

  it('PostgreSQL: URL built from the effective DB_USER/DB_PASSWORD, probes and PVC', () => {
    const result = build({ system: { database: { postgresql: { persistentVolumeClaim: { storageClassName: 'slow' } } } } });
    const data = secretData(result, 'system-database');
    assert.equal(data.DB_USER, 'system');
    assert.equal(data.URL, `postgresql://system:${data.DB_PASSWORD}@system-postgresql/system`);
    const c = containerOf(find(result, 'DeploymentConfig', 'system-postgresql'), 'system-postgresql');
    assert.deepEqual(envNotation(c.env), {
      POSTGRESQL_USER: 'sec:system-database/DB_USER',
      POSTGRESQL_PASSWORD: 'sec:system-database/DB_PASSWORD',
      POSTGRESQL_DATABASE: '"system"',
    });
    assert.deepEqual(c.ports, [{ containerPort: 5432, protocol: 'TCP' }]);
    assert.deepEqual(c.resources?.limits, { memory: '2Gi' });
    assert.equal((find(result, 'PersistentVolumeClaim', 'postgresql-data').spec as { storageClassName: string }).storageClassName, 'slow');
  });

  it('parseDatabaseUrl passes template placeholders through', () => {
    assert.deepEqual(parseDatabaseUrl('mysql2://root:${SYSTEM_DATABASE_ROOT_PASSWORD}@system-mysql/${SYSTEM_DATABASE}'), {
      user: 'root',
      password: '${SYSTEM_DATABASE_ROOT_PASSWORD}',
      database: '${SYSTEM_DATABASE}',
    });
  });
});
