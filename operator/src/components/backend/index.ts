// Backend listener, worker, cron and their Route, ConfigMap and Secrets (operator-objects §4.3).
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { ApiManagerModel } from '../../model/types.js';
import type { Route } from '../common/openshift-types.js';
import { componentLabels } from '../common/labels.js';
import { type DesiredObject, createOnly, desired } from '../common/desired.js';
import { type BuildContext, operatorSecret } from '../common/context.js';
import { deploymentConfig } from '../common/deployment-config.js';
import { configMap, service, tcp } from '../common/core-objects.js';
import { fromConfigMap, fromSecret, literal } from '../common/env.js';
import { httpProbe, tcpProbe } from '../common/probes.js';
import { resourcesFor } from '../common/resources.js';
import { redisMarker } from '../common/redis-hash.js';
import { BACKEND_REDIS_TLS, QUEUES_REDIS_TLS, backendRedisExtraEnv, tlsMounts, tlsVolumes } from '../common/tls-links.js';

export const BACKEND_COMMON_ENV: IEnvVar[] = [
  fromSecret('CONFIG_REDIS_PROXY', 'backend-redis', 'REDIS_STORAGE_URL'),
  fromSecret('CONFIG_REDIS_SENTINEL_HOSTS', 'backend-redis', 'REDIS_STORAGE_SENTINEL_HOSTS'),
  fromSecret('CONFIG_REDIS_SENTINEL_ROLE', 'backend-redis', 'REDIS_STORAGE_SENTINEL_ROLE'),
  fromSecret('CONFIG_QUEUES_MASTER_NAME', 'backend-redis', 'REDIS_QUEUES_URL'),
  fromSecret('CONFIG_QUEUES_SENTINEL_HOSTS', 'backend-redis', 'REDIS_QUEUES_SENTINEL_HOSTS'),
  fromSecret('CONFIG_QUEUES_SENTINEL_ROLE', 'backend-redis', 'REDIS_QUEUES_SENTINEL_ROLE'),
  fromConfigMap('RACK_ENV', 'backend-environment', 'RACK_ENV'),
];

const REDIS_SVC_COMMAND = [
  '/opt/app/entrypoint.sh',
  'sh',
  '-c',
  'until rake connectivity:redis_storage_queue_check; do sleep $SLEEP_SECONDS; done',
];

export function backendRoute(model: ApiManagerModel): DesiredObject<Route> {
  return desired(
    {
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: { name: 'backend', labels: componentLabels(model, 'backend') },
      spec: {
        host: `backend-${model.tenantName}.${model.wildcardDomain}`,
        to: { kind: 'Service', name: 'backend-listener' },
        port: { targetPort: 'http' },
        tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Allow' },
      },
    },
    createOnly,
  );
}

export function buildBackend(ctx: BuildContext): DesiredObject[] {
  const m = ctx.model;
  const extras = m.operatorExtras;
  const listenerLabels = componentLabels(m, 'backend', 'listener');
  const cron = redisMarker(ctx, 'backend-cron');
  const listener = redisMarker(ctx, 'backend-listener');
  const worker = redisMarker(ctx, 'backend-worker');
  const annotationsOf = (marker: { annotations: Record<string, string> }) =>
    Object.keys(marker.annotations).length > 0 ? { podAnnotations: marker.annotations } : {};
  // ACL keys and TLS (2.15+): appended after the 2.9 entries, only when in use.
  const commonEnv = [...BACKEND_COMMON_ENV, ...backendRedisExtraEnv(ctx)];
  const links = [BACKEND_REDIS_TLS, QUEUES_REDIS_TLS];
  const volumes = tlsVolumes(ctx, links);
  const mounts = tlsMounts(ctx, links);
  const withMounts = mounts.length > 0 ? { volumeMounts: mounts } : {};
  const redisSvcInit = {
    name: 'backend-redis-svc',
    command: REDIS_SVC_COMMAND,
    env: [...commonEnv, literal('SLEEP_SECONDS', '1')],
    ...withMounts,
  };
  return [
    deploymentConfig(m, {
      name: 'backend-cron',
      labels: componentLabels(m, 'backend', 'cron'),
      replicas: m.backend.cron.replicas,
      scalable: true,
      strategy: 'rolling',
      timeoutSeconds: 1200,
      stream: 'amp-backend',
      image: m.images.backend,
      initContainers: [redisSvcInit],
      containers: [
        {
          name: 'backend-cron',
          args: ['backend-cron'],
          env: commonEnv,
          imagePullPolicy: 'IfNotPresent',
          resources: resourcesFor(m, 'backend-cron'),
          ...withMounts,
        },
      ],
      volumes,
      scheduling: m.backend.cron,
      serviceAccountName: 'amp',
      ...annotationsOf(cron),
      extraReconciledPaths: cron.paths,
    }),
    deploymentConfig(m, {
      name: 'backend-listener',
      labels: listenerLabels,
      replicas: m.backend.listener.replicas,
      scalable: true,
      strategy: 'rolling',
      timeoutSeconds: 600,
      stream: 'amp-backend',
      image: m.images.backend,
      containers: [
        {
          name: 'backend-listener',
          args: ['bin/3scale_backend', 'start', '-e', 'production', '-p', '3000', '-x', '/dev/stdout'],
          ports: [
            { containerPort: 3000, protocol: 'TCP' as const },
            ...(extras ? [{ name: 'metrics', containerPort: 9394, protocol: 'TCP' as const }] : []),
          ],
          env: [
            ...commonEnv,
            literal('PUMA_WORKERS', '16'),
            fromSecret('CONFIG_INTERNAL_API_USER', 'backend-internal-api', 'username'),
            fromSecret('CONFIG_INTERNAL_API_PASSWORD', 'backend-internal-api', 'password'),
            ...(extras
              ? [literal('CONFIG_LISTENER_PROMETHEUS_METRICS_PORT', '9394'), literal('CONFIG_LISTENER_PROMETHEUS_METRICS_ENABLED', 'true')]
              : []),
          ],
          imagePullPolicy: 'IfNotPresent',
          resources: resourcesFor(m, 'backend-listener'),
          livenessProbe: tcpProbe(3000, { initialDelaySeconds: 30, periodSeconds: 10 }),
          readinessProbe: httpProbe('/status', 3000, { initialDelaySeconds: 30, timeoutSeconds: 5 }),
          ...withMounts,
        },
      ],
      volumes,
      scheduling: m.backend.listener,
      serviceAccountName: 'amp',
      ...annotationsOf(listener),
      extraReconciledPaths: listener.paths,
    }),
    service('backend-listener', listenerLabels, [tcp(3000, 'http')], 'backend-listener'),
    backendRoute(m),
    deploymentConfig(m, {
      name: 'backend-worker',
      labels: componentLabels(m, 'backend', 'worker'),
      replicas: m.backend.worker.replicas,
      scalable: true,
      strategy: 'rolling',
      timeoutSeconds: 1200,
      stream: 'amp-backend',
      image: m.images.backend,
      initContainers: [redisSvcInit],
      containers: [
        {
          name: 'backend-worker',
          args: ['bin/3scale_backend_worker', 'run'],
          env: [
            ...commonEnv,
            fromSecret('CONFIG_EVENTS_HOOK', 'system-events-hook', 'URL'),
            fromSecret('CONFIG_EVENTS_HOOK_SHARED_SECRET', 'system-events-hook', 'PASSWORD'),
            ...(extras
              ? [literal('CONFIG_WORKER_PROMETHEUS_METRICS_PORT', '9421'), literal('CONFIG_WORKER_PROMETHEUS_METRICS_ENABLED', 'true')]
              : []),
          ],
          ...(extras ? { ports: [{ name: 'metrics', containerPort: 9421, protocol: 'TCP' as const }] } : {}),
          imagePullPolicy: 'IfNotPresent',
          resources: resourcesFor(m, 'backend-worker'),
          ...withMounts,
        },
      ],
      volumes,
      scheduling: m.backend.worker,
      serviceAccountName: 'amp',
      ...annotationsOf(worker),
      extraReconciledPaths: worker.paths,
    }),
    configMap('backend-environment', componentLabels(m, 'backend'), { RACK_ENV: 'production' }),
    ...operatorSecret(ctx, 'backend-internal-api', componentLabels(m, 'backend')),
    ...operatorSecret(ctx, 'backend-redis', componentLabels(m, 'backend')),
    ...operatorSecret(ctx, 'backend-listener', componentLabels(m, 'backend')),
  ];
}
