// system-memcache DeploymentConfig (operator-objects §4.6); its Service comes from the system builder.
import { componentLabels } from '../common/labels.js';
import type { DesiredObject } from '../common/desired.js';
import type { BuildContext } from '../common/context.js';
import { deploymentConfig } from '../common/deployment-config.js';
import { execProbe, tcpProbe } from '../common/probes.js';
import { resourcesFor } from '../common/resources.js';

export function buildMemcached(ctx: BuildContext): DesiredObject[] {
  const m = ctx.model;
  return [
    deploymentConfig(m, {
      name: 'system-memcache',
      labels: componentLabels(m, 'system', 'memcache'),
      replicas: 1,
      scalable: false,
      strategy: 'rolling',
      timeoutSeconds: 600,
      stream: 'system-memcached',
      image: m.images.systemMemcached,
      containers: [
        {
          name: 'memcache',
          command: ['memcached', '-m', '64'],
          imagePullPolicy: 'IfNotPresent',
          ports: [{ containerPort: 11211, protocol: 'TCP' as const }],
          resources: resourcesFor(m, 'memcache'),
          livenessProbe: tcpProbe(11211, { initialDelaySeconds: 10, periodSeconds: 10 }),
          readinessProbe: execProbe(['sh', '-c', 'echo version | nc $HOSTNAME 11211 | grep VERSION'], {
            initialDelaySeconds: 10,
            periodSeconds: 30,
            timeoutSeconds: 5,
          }),
        },
      ],
      scheduling: m.system.memcached,
      serviceAccountName: 'amp',
    }),
  ];
}
