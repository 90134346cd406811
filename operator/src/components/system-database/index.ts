// Internal system database: MySQL (operator-objects §4.4) or PostgreSQL (§4.5); absent in HA mode.
import type { Finding } from '../common/desired.js';
import { componentLabels } from '../common/labels.js';
import type { DesiredObject } from '../common/desired.js';
import { type BuildContext, operatorSecret, secretValue } from '../common/context.js';
import { deploymentConfig } from '../common/deployment-config.js';
import { configMap, persistentVolumeClaim, service, tcp } from '../common/core-objects.js';
import { fromSecret, literal } from '../common/env.js';
import { execProbe, tcpProbe } from '../common/probes.js';
import { resourcesFor } from '../common/resources.js';
import { imageStream } from '../images/index.js';
import { parseDatabaseUrl } from './url.js';

export const MY_CNF = '!include /etc/my.cnf\n!includedir /etc/my-extra.d\n';
export const MYSQL_CHARSET_CNF = [
  '[client]',
  'default-character-set = utf8',
  '',
  '[mysql]',
  'default-character-set = utf8',
  '',
  '[mysqld]',
  'character-set-server = utf8',
  'collation-server = utf8_unicode_ci',
  '',
].join('\n');

/** Problems with the effective URL that the MySQL/PostgreSQL env depends on (operator-objects §6 validation). */
export function systemDatabaseFindings(ctx: BuildContext): Finding[] {
  const db = ctx.model.system.database;
  // Checked whoever created the secret: MYSQL_ROOT_PASSWORD / MYSQL_DATABASE are parsed from it.
  if (db.kind === 'external') return [];
  const url = secretValue(ctx, 'system-database', 'URL');
  const parts = parseDatabaseUrl(url);
  const scheme = db.kind === 'mysql' ? 'mysql2' : 'postgresql';
  if (!url.startsWith(`${scheme}://`) || parts === undefined || parts.password === '' || parts.database === '') {
    return [{ secret: 'system-database', key: 'URL', reason: `must be ${scheme}://<user>:<password>@<host>/<database>` }];
  }
  if (db.kind === 'mysql' && parts.user !== 'root')
    return [{ secret: 'system-database', key: 'URL', reason: 'MySQL URL user must be root' }];
  return [];
}

export function buildSystemDatabase(ctx: BuildContext): DesiredObject[] {
  const m = ctx.model;
  const db = m.system.database;
  if (db.kind === 'external') return [];
  const parts = parseDatabaseUrl(secretValue(ctx, 'system-database', 'URL')) ?? { user: '', password: '', database: '' };
  if (db.kind === 'mysql') {
    const labels = componentLabels(m, 'system', 'mysql');
    return [
      deploymentConfig(m, {
        name: 'system-mysql',
        labels,
        replicas: 1,
        scalable: false,
        strategy: 'recreate',
        stream: 'system-mysql',
        image: m.images.systemMysql,
        containers: [
          {
            name: 'system-mysql',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: 3306, protocol: 'TCP' as const }],
            env: [
              fromSecret('MYSQL_USER', 'system-database', 'DB_USER'),
              fromSecret('MYSQL_PASSWORD', 'system-database', 'DB_PASSWORD'),
              literal('MYSQL_DATABASE', parts.database),
              literal('MYSQL_ROOT_PASSWORD', parts.password),
              literal('MYSQL_LOWER_CASE_TABLE_NAMES', '1'),
              literal('MYSQL_DEFAULTS_FILE', '/etc/my-extra/my.cnf'),
            ],
            resources: resourcesFor(m, 'system-mysql'),
            volumeMounts: [
              { name: 'mysql-storage', mountPath: '/var/lib/mysql/data' },
              { name: 'mysql-extra-conf', mountPath: '/etc/my-extra.d' },
              { name: 'mysql-main-conf', mountPath: '/etc/my-extra' },
            ],
            livenessProbe: tcpProbe(3306, { initialDelaySeconds: 30, periodSeconds: 10 }),
            readinessProbe: execProbe(
              ['/bin/sh', '-i', '-c', 'MYSQL_PWD="$MYSQL_PASSWORD" mysql -h 127.0.0.1 -u $MYSQL_USER -D $MYSQL_DATABASE -e \'SELECT 1\''],
              { initialDelaySeconds: 10, periodSeconds: 30, timeoutSeconds: 5 },
            ),
          },
        ],
        volumes: [
          { name: 'mysql-storage', persistentVolumeClaim: { claimName: 'mysql-storage' } },
          { name: 'mysql-extra-conf', configMap: { name: 'mysql-extra-conf' } },
          { name: 'mysql-main-conf', configMap: { name: 'mysql-main-conf' } },
        ],
        scheduling: db,
        serviceAccountName: 'amp',
      }),
      service('system-mysql', labels, [tcp(3306, 'system-mysql')], 'system-mysql'),
      configMap('mysql-main-conf', labels, { 'my.cnf': MY_CNF }),
      configMap('mysql-extra-conf', labels, { 'mysql-charset.cnf': MYSQL_CHARSET_CNF }),
      persistentVolumeClaim('mysql-storage', labels, 'ReadWriteOnce', '1Gi', db),
      ...operatorSecret(ctx, 'system-database', componentLabels(m, 'system')),
      imageStream(m, 'system-mysql', componentLabels(m, 'system'), 'System MySQL', `System ${m.release} MySQL`, m.images.systemMysql),
    ];
  }
  const labels = componentLabels(m, 'system', 'postgresql');
  return [
    deploymentConfig(m, {
      name: 'system-postgresql',
      labels,
      replicas: 1,
      scalable: false,
      strategy: 'recreate',
      stream: 'system-postgresql',
      image: m.images.systemPostgresql,
      containers: [
        {
          name: 'system-postgresql',
          imagePullPolicy: 'IfNotPresent',
          ports: [{ containerPort: 5432, protocol: 'TCP' as const }],
          env: [
            fromSecret('POSTGRESQL_USER', 'system-database', 'DB_USER'),
            fromSecret('POSTGRESQL_PASSWORD', 'system-database', 'DB_PASSWORD'),
            literal('POSTGRESQL_DATABASE', parts.database),
          ],
          resources: resourcesFor(m, 'system-postgresql'),
          volumeMounts: [{ name: 'postgresql-data', mountPath: '/var/lib/pgsql/data' }],
          livenessProbe: tcpProbe(5432, { initialDelaySeconds: 30, periodSeconds: 10 }),
          readinessProbe: execProbe(
            ['/bin/sh', '-i', '-c', "psql -h 127.0.0.1 -U $POSTGRESQL_USER -q -d $POSTGRESQL_DATABASE -c 'SELECT 1'"],
            { initialDelaySeconds: 10, periodSeconds: 30, timeoutSeconds: 5 },
          ),
        },
      ],
      volumes: [{ name: 'postgresql-data', persistentVolumeClaim: { claimName: 'postgresql-data' } }],
      scheduling: db,
      serviceAccountName: 'amp',
    }),
    service('system-postgresql', labels, [tcp(5432, 'system-postgresql')], 'system-postgresql'),
    persistentVolumeClaim('postgresql-data', labels, 'ReadWriteOnce', '1Gi', db),
    ...operatorSecret(ctx, 'system-database', componentLabels(m, 'system')),
    imageStream(
      m,
      'system-postgresql',
      componentLabels(m, 'system'),
      'System database',
      `System ${m.release} PostgreSQL`,
      m.images.systemPostgresql,
    ),
  ];
}
