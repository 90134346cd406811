// Zync, zync-que, zync-database and zync-que's RBAC (operator-objects §4.8, inventory #53–61).
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { ApiManagerModel } from '../../model/types.js';
import { componentLabels } from '../common/labels.js';
import { type DesiredObject, createOnly, desired } from '../common/desired.js';
import { type BuildContext, operatorSecret } from '../common/context.js';
import { deploymentConfig } from '../common/deployment-config.js';
import { service, tcp } from '../common/core-objects.js';
import { fromField, fromSecret, literal } from '../common/env.js';
import { execProbe, httpProbe, tcpProbe } from '../common/probes.js';
import { resourcesFor } from '../common/resources.js';

export const ZYNC_ENV: IEnvVar[] = [
  literal('RAILS_LOG_TO_STDOUT', 'true'),
  literal('RAILS_ENV', 'production'),
  fromSecret('DATABASE_URL', 'zync', 'DATABASE_URL'),
  fromSecret('SECRET_KEY_BASE', 'zync', 'SECRET_KEY_BASE'),
  fromSecret('ZYNC_AUTHENTICATION_TOKEN', 'zync', 'ZYNC_AUTHENTICATION_TOKEN'),
  fromField('POD_NAME', 'metadata.name'),
  fromField('POD_NAMESPACE', 'metadata.namespace'),
];

/** zync / zync-que carry an element label only in the operator's output (operator-objects §1). */
const zyncLabels = (m: ApiManagerModel, element: string) =>
  m.operatorExtras ? componentLabels(m, 'zync', element) : componentLabels(m, 'zync');

export function buildZync(ctx: BuildContext): DesiredObject[] {
  const m = ctx.model;
  const extras = m.operatorExtras;
  const zyncL = zyncLabels(m, 'zync');
  const queL = zyncLabels(m, 'zync-que');
  return [
    desired(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'zync-que-role' },
        rules: [
          { apiGroups: ['apps.openshift.io'], resources: ['deploymentconfigs'], verbs: ['get', 'list'] },
          { apiGroups: [''], resources: ['pods', 'replicationcontrollers'], verbs: ['get', 'list'] },
          { apiGroups: ['route.openshift.io'], resources: ['routes'], verbs: ['get', 'list', 'create', 'delete', 'patch', 'update'] },
          { apiGroups: ['route.openshift.io'], resources: ['routes/status'], verbs: ['get'] },
          { apiGroups: ['route.openshift.io'], resources: ['routes/custom-host'], verbs: ['create'] },
        ],
      },
      createOnly,
    ),
    desired(
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'zync-que-sa' },
        imagePullSecrets: [{ name: 'threescale-registry-auth' }],
      },
      createOnly,
    ),
    desired(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'zync-que-rolebinding' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'zync-que-role' },
        subjects: [{ kind: 'ServiceAccount', name: 'zync-que-sa' }],
      },
      createOnly,
    ),
    deploymentConfig(m, {
      name: 'zync',
      labels: zyncL,
      replicas: m.zync.app.replicas,
      scalable: true,
      strategy: 'unset',
      stream: 'amp-zync',
      image: m.images.zync,
      metadataAnnotations: { 'prometheus.io/port': '9393', 'prometheus.io/scrape': 'true' },
      initContainers: [
        {
          name: 'zync-db-svc',
          command: ['bash', '-c', 'bundle exec sh -c "until rake boot:db; do sleep $SLEEP_SECONDS; done"'],
          env: [literal('SLEEP_SECONDS', '1'), fromSecret('DATABASE_URL', 'zync', 'DATABASE_URL')],
        },
      ],
      containers: [
        {
          name: 'zync',
          ports: [
            { containerPort: 8080, protocol: 'TCP' as const },
            ...(extras ? [{ name: 'metrics', containerPort: 9393, protocol: 'TCP' as const }] : []),
          ],
          env: ZYNC_ENV,
          resources: resourcesFor(m, 'zync'),
          livenessProbe: httpProbe(
            '/status/live',
            8080,
            { initialDelaySeconds: 10, timeoutSeconds: 60, periodSeconds: 10, successThreshold: 1, failureThreshold: 10 },
            { scheme: 'HTTP' },
          ),
          readinessProbe: httpProbe(
            '/status/ready',
            8080,
            { initialDelaySeconds: 100, timeoutSeconds: 10, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
            { scheme: 'HTTP' },
          ),
        },
      ],
      scheduling: m.zync.app,
      serviceAccountName: 'amp',
    }),
    deploymentConfig(m, {
      name: 'zync-que',
      labels: queL,
      replicas: m.zync.que.replicas,
      scalable: true,
      strategy: 'rolling',
      timeoutSeconds: 600,
      stream: 'amp-zync',
      image: m.images.zync,
      // Template quirk: zync-que pods carry only `app` and `deploymentConfig`.
      ...(extras ? {} : { podLabelsOverride: { app: m.appLabel, deploymentConfig: 'zync-que' } }),
      podAnnotations: { 'prometheus.io/port': '9394', 'prometheus.io/scrape': 'true' },
      containers: [
        {
          name: 'que',
          imagePullPolicy: 'Always',
          command: ['/usr/bin/bash'],
          args: ['-c', "bundle exec rake 'que[--worker-count 10]'"],
          ports: [{ name: 'metrics', containerPort: 9394, protocol: 'TCP' as const }],
          env: ZYNC_ENV,
          resources: resourcesFor(m, 'que'),
          livenessProbe: httpProbe(
            '/metrics',
            9394,
            { initialDelaySeconds: 10, timeoutSeconds: 60, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
            { scheme: 'HTTP' },
          ),
        },
      ],
      scheduling: m.zync.que,
      serviceAccountName: 'zync-que-sa',
      podSpec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 30 },
    }),
    ...(m.external.zyncDatabase ? [] : [zyncDatabaseDc(m)]),
    service('zync', zyncL, [tcp(8080, '8080-tcp')], 'zync'),
    // An external zync database (externalComponents.zync.database) is the user's: nothing of it is deployed.
    ...(m.external.zyncDatabase
      ? []
      : [service('zync-database', componentLabels(m, 'zync', 'database'), [tcp(5432, 'postgresql')], 'zync-database')]),
    ...operatorSecret(ctx, 'zync', componentLabels(m, 'zync')),
  ];
}

function zyncDatabaseDc(m: ApiManagerModel): DesiredObject {
  const dbL = componentLabels(m, 'zync', 'database');
  return deploymentConfig(m, {
    name: 'zync-database',
    labels: dbL,
    replicas: 1,
    scalable: false,
    strategy: 'recreate',
    stream: 'zync-database-postgresql',
    image: m.images.zyncPostgresql,
    blankImage: true,
    containers: [
      {
        name: 'postgresql',
        imagePullPolicy: 'IfNotPresent',
        ports: [{ containerPort: 5432, protocol: 'TCP' as const }],
        env: [
          literal('POSTGRESQL_USER', 'zync'),
          fromSecret('POSTGRESQL_PASSWORD', 'zync', 'ZYNC_DATABASE_PASSWORD'),
          literal('POSTGRESQL_DATABASE', 'zync_production'),
        ],
        resources: resourcesFor(m, 'postgresql'),
        volumeMounts: [{ name: 'zync-database-data', mountPath: '/var/lib/pgsql/data' }],
        livenessProbe: tcpProbe(5432, { initialDelaySeconds: 30, timeoutSeconds: 1 }),
        readinessProbe: execProbe(['/bin/sh', '-i', '-c', "psql -h 127.0.0.1 -U zync -q -d zync_production -c 'SELECT 1'"], {
          initialDelaySeconds: 5,
          timeoutSeconds: 1,
        }),
      },
    ],
    volumes: [{ name: 'zync-database-data', emptyDir: {} }],
    scheduling: m.zync.database,
    serviceAccountName: 'amp',
    podSpec: { restartPolicy: 'Always' },
  });
}
