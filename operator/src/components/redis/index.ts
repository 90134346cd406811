// Internal backend-redis and system-redis (operator-objects §4.2); absent in HA mode.
import type { ApiManagerModel, Persistent } from '../../model/types.js';
import { componentLabels } from '../common/labels.js';
import type { DesiredObject } from '../common/desired.js';
import type { BuildContext } from '../common/context.js';
import { deploymentConfig } from '../common/deployment-config.js';
import { configMap, persistentVolumeClaim, service, tcp } from '../common/core-objects.js';
import { execProbe, tcpProbe } from '../common/probes.js';
import { resourcesFor } from '../common/resources.js';
import { imageStream } from '../images/index.js';

export const REDIS_CONF = [
  'protected-mode no',
  'port 6379',
  'timeout 0',
  'tcp-keepalive 300',
  'daemonize no',
  'supervised no',
  'loglevel notice',
  'databases 16',
  'save 900 1',
  'save 300 10',
  'save 60 10000',
  'stop-writes-on-bgsave-error yes',
  'rdbcompression yes',
  'rdbchecksum yes',
  'dbfilename dump.rdb',
  'slave-serve-stale-data yes',
  'slave-read-only yes',
  'repl-diskless-sync no',
  'repl-disable-tcp-nodelay no',
  'appendonly yes',
  'appendfilename "appendonly.aof"',
  'appendfsync everysec',
  'no-appendfsync-on-rewrite no',
  'auto-aof-rewrite-percentage 100',
  'auto-aof-rewrite-min-size 64mb',
  'aof-load-truncated yes',
  'lua-time-limit 5000',
  'activerehashing no',
  'aof-rewrite-incremental-fsync yes',
  'dir /var/lib/redis/data',
  '',
].join('\n');

const READINESS = ['container-entrypoint', 'bash', '-c', 'redis-cli set liveness-probe "`date`" | grep OK'];

function redisDc(
  model: ApiManagerModel,
  name: 'backend-redis' | 'system-redis',
  component: 'backend' | 'system',
  spec: Persistent,
  image: string,
): DesiredObject {
  const labels = componentLabels(model, component, 'redis');
  const isBackend = name === 'backend-redis';
  return deploymentConfig(model, {
    name,
    labels,
    replicas: 1,
    scalable: false,
    strategy: 'recreate',
    stream: name,
    image,
    containers: [
      {
        name,
        command: ['/opt/rh/rh-redis32/root/usr/bin/redis-server'],
        args: ['/etc/redis.d/redis.conf', '--daemonize', 'no'],
        imagePullPolicy: 'IfNotPresent',
        resources: resourcesFor(model, name),
        volumeMounts: [
          { name: `${name}-storage`, mountPath: '/var/lib/redis/data' },
          { name: 'redis-config', mountPath: '/etc/redis.d/' },
        ],
        livenessProbe: tcpProbe(6379, { initialDelaySeconds: 10, periodSeconds: isBackend ? 10 : 5 }),
        readinessProbe: isBackend
          ? execProbe(READINESS, { initialDelaySeconds: 10, periodSeconds: 30, timeoutSeconds: 1 })
          : execProbe(READINESS, { initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 }),
        ...(isBackend ? {} : { terminationMessagePath: '/dev/termination-log' }),
      },
    ],
    volumes: [
      { name: `${name}-storage`, persistentVolumeClaim: { claimName: `${name}-storage` } },
      { name: 'redis-config', configMap: { name: 'redis-config', items: [{ key: 'redis.conf', path: 'redis.conf' }] } },
    ],
    scheduling: spec,
    serviceAccountName: 'amp',
  });
}

export function buildRedis(ctx: BuildContext): DesiredObject[] {
  const m = ctx.model;
  const backendLabels = componentLabels(m, 'backend', 'redis');
  const systemLabels = componentLabels(m, 'system', 'redis');
  const backend = !m.external.backendRedis;
  const system = !m.external.systemRedis;
  // Inventory order of the 2.9 original; each external Redis drops its own objects, the shared config stays while one is internal.
  return [
    ...(backend
      ? [
          redisDc(m, 'backend-redis', 'backend', m.backend.redis, m.images.backendRedis),
          service('backend-redis', backendLabels, [tcp(6379)], 'backend-redis'),
        ]
      : []),
    ...(backend || system ? [configMap('redis-config', componentLabels(m, 'system', 'redis'), { 'redis.conf': REDIS_CONF })] : []),
    ...(backend
      ? [
          persistentVolumeClaim('backend-redis-storage', backendLabels, 'ReadWriteOnce', '1Gi', m.backend.redis),
          imageStream(
            m,
            'backend-redis',
            componentLabels(m, 'backend'),
            'Backend Redis',
            `Backend ${m.release} Redis`,
            m.images.backendRedis,
          ),
        ]
      : []),
    ...(system
      ? [
          redisDc(m, 'system-redis', 'system', m.system.redis, m.images.systemRedis),
          persistentVolumeClaim('system-redis-storage', systemLabels, 'ReadWriteOnce', '1Gi', m.system.redis),
          service('system-redis', systemLabels, [tcp(6379, 'redis')], 'system-redis'),
          imageStream(m, 'system-redis', componentLabels(m, 'system'), 'System Redis', `System ${m.release} Redis`, m.images.systemRedis),
        ]
      : []),
  ];
}
