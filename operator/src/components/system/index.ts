// System: file storage PVC, Services, system-app / sidekiq / sphinx DCs, ConfigMaps and Secrets
// (operator-objects §4.7, inventory #34–52).
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { ApiManagerModel } from '../../model/types.js';
import type { ExecNewPodHook } from '../common/openshift-types.js';
import { componentLabels } from '../common/labels.js';
import type { DesiredObject } from '../common/desired.js';
import { type BuildContext, operatorSecret } from '../common/context.js';
import { deploymentConfig } from '../common/deployment-config.js';
import { configMap, persistentVolumeClaim, service } from '../common/core-objects.js';
import { fromConfigMap, fromSecret, literal } from '../common/env.js';
import { httpProbe, tcpProbe } from '../common/probes.js';
import { resourcesFor } from '../common/resources.js';
import { redisMarker } from '../common/redis-hash.js';
import { ORACLE_SYSTEM_PASSWORD, SYSTEM_REDIS_ENV, preHookEnv, systemContainerEnv } from './env.js';
import {
  BACKEND_REDIS_TLS,
  SYSTEM_DATABASE_TLS,
  SYSTEM_REDIS_TLS,
  systemBackendRedisExtraEnv,
  systemDatabaseExtraEnv,
  systemRedisExtraEnv,
  tlsMounts,
  tlsVolumes,
} from '../common/tls-links.js';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { ROLLING_UPDATES_YML, SERVICE_DISCOVERY_YML, ZYNC_YML } from './config-files.js';

const WAIT_FOR_MASTER =
  'until $(curl --output /dev/null --silent --fail --head http://system-master:3000/status); do sleep $SLEEP_SECONDS; done';

const systemConfigVolume: IVolume = {
  name: 'system-config',
  configMap: {
    name: 'system',
    items: ['zync.yml', 'rolling_updates.yml', 'service_discovery.yml'].map((key) => ({ key, path: key })),
  },
};

export function systemEnvironment(model: ApiManagerModel): Record<string, string> {
  return {
    AMP_RELEASE: model.release,
    APICAST_REGISTRY_URL: model.apicast.registryURL,
    FORCE_SSL: 'true',
    PROVIDER_PLAN: 'enterprise',
    RAILS_ENV: 'production',
    RAILS_LOG_LEVEL: 'info',
    RAILS_LOG_TO_STDOUT: 'true',
    SSL_CERT_DIR: '/etc/pki/tls/certs',
    THINKING_SPHINX_PORT: '9306',
    THREESCALE_SANDBOX_PROXY_OPENSSL_VERIFY_MODE: 'VERIFY_NONE',
    THREESCALE_SUPERDOMAIN: model.wildcardDomain,
    ...(model.system.fileStorage.kind === 's3' ? { FILE_UPLOAD_STORAGE: 's3' } : {}),
  };
}

/** TLS/ACL additions of the system workloads (2.15+; empty unless the CR or the Secrets use them). */
export interface SystemExtras {
  env: IEnvVar[];
  volumes: IVolume[];
  mounts: IVolumeMount[];
}
const NO_EXTRAS: SystemExtras = { env: [], volumes: [], mounts: [] };

/** The system-app hooks; the kubernetes flavour turns them into Jobs with the same content. */
export function systemAppHooks(model: ApiManagerModel, extras: SystemExtras = NO_EXTRAS): { pre: ExecNewPodHook; post: ExecNewPodHook } {
  const pvc = model.system.fileStorage.kind === 'pvc';
  const volumes = [...(pvc ? ['system-storage'] : []), ...extras.volumes.map((v) => v.name)];
  return {
    pre: {
      failurePolicy: 'Retry',
      execNewPod: {
        containerName: 'system-master',
        command: ['bash', '-c', 'bundle exec rake boot openshift:deploy'],
        env: [...preHookEnv(model), ...extras.env],
        ...(volumes.length > 0 ? { volumes } : {}),
      },
    },
    post: {
      failurePolicy: 'Abort',
      execNewPod: {
        containerName: 'system-master',
        command: ['bash', '-c', 'bundle exec rake boot openshift:post_deploy'],
        env: [ORACLE_SYSTEM_PASSWORD],
      },
    },
  };
}

function systemAppContainer(
  model: ApiManagerModel,
  extras: SystemExtras,
  name: string,
  args: string[],
  port: string,
  containerPort: number,
  storageReadOnly: boolean,
): Omit<IContainer, 'image'> {
  const mounts: IVolumeMount[] = [
    ...(model.system.fileStorage.kind === 'pvc'
      ? [{ name: 'system-storage', mountPath: '/opt/system/public/system', ...(storageReadOnly ? { readOnly: true } : {}) }]
      : []),
    { name: 'system-config', mountPath: '/opt/system-extra-configs' },
    ...extras.mounts,
  ];
  return {
    name,
    args,
    env: [...systemContainerEnv(model), ...extras.env],
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: port, containerPort, protocol: 'TCP' as const }],
    resources: resourcesFor(model, name),
    volumeMounts: mounts,
    livenessProbe: tcpProbe(port, { initialDelaySeconds: 40, timeoutSeconds: 10, periodSeconds: 10, failureThreshold: 40 }),
    readinessProbe: httpProbe(
      '/check.txt',
      port,
      { initialDelaySeconds: 60, timeoutSeconds: 10, periodSeconds: 30, failureThreshold: 10 },
      { scheme: 'HTTP', headers: [{ name: 'X-Forwarded-Proto', value: 'https' }] },
    ),
  };
}

const unicorn = ['container-entrypoint', 'bundle', 'exec', 'unicorn', '-c', 'config/unicorn.rb'];

export function buildSystem(ctx: BuildContext): DesiredObject[] {
  const m = ctx.model;
  const pvc = m.system.fileStorage.kind === 'pvc';
  const appLabels = componentLabels(m, 'system', 'app');
  const systemLabels = componentLabels(m, 'system');
  const storageVolume: IVolume[] = pvc ? [{ name: 'system-storage', persistentVolumeClaim: { claimName: 'system-storage' } }] : [];
  const appMarker = redisMarker(ctx, 'system-app');
  const sidekiqMarker = redisMarker(ctx, 'system-sidekiq');
  const sphinxMarker = redisMarker(ctx, 'system-sphinx');
  const withAnnotations = (marker: { annotations: Record<string, string> }) =>
    Object.keys(marker.annotations).length > 0 ? { podAnnotations: marker.annotations } : {};
  const uiService = (name: string, element: string, targetPort: string) =>
    service(
      name,
      componentLabels(m, 'system', element),
      [{ name: 'http', port: 3000, protocol: 'TCP' as const, targetPort }],
      'system-app',
    );
  const fs = m.system.fileStorage;
  // Redis ACL/TLS and database TLS (2.15+), appended after the 2.9 entries only when in use.
  const appLinks = [SYSTEM_REDIS_TLS, BACKEND_REDIS_TLS, SYSTEM_DATABASE_TLS];
  const extras: SystemExtras = {
    env: [...systemRedisExtraEnv(ctx), ...systemBackendRedisExtraEnv(ctx), ...systemDatabaseExtraEnv(ctx)],
    volumes: tlsVolumes(ctx, appLinks),
    mounts: tlsMounts(ctx, appLinks),
  };
  const redisOnlyMounts = tlsMounts(ctx, [SYSTEM_REDIS_TLS]);
  const sphinxLinks = [SYSTEM_REDIS_TLS, SYSTEM_DATABASE_TLS];
  const sphinxMounts = tlsMounts(ctx, sphinxLinks);

  return [
    ...(fs.kind === 'pvc' ? [persistentVolumeClaim('system-storage', appLabels, 'ReadWriteMany', '100Mi', fs)] : []),
    uiService('system-provider', 'provider-ui', 'provider'),
    uiService('system-master', 'master-ui', 'master'),
    uiService('system-developer', 'developer-ui', 'developer'),
    service(
      'system-sphinx',
      componentLabels(m, 'system', 'sphinx'),
      [{ name: 'sphinx', port: 9306, protocol: 'TCP' as const, targetPort: 9306 }],
      'system-sphinx',
    ),
    service(
      'system-memcache',
      componentLabels(m, 'system', 'memcache'),
      [{ name: 'memcache', port: 11211, protocol: 'TCP' as const, targetPort: 11211 }],
      'system-memcache',
    ),
    configMap('system', systemLabels, {
      'zync.yml': ZYNC_YML,
      'rolling_updates.yml': ROLLING_UPDATES_YML,
      'service_discovery.yml': SERVICE_DISCOVERY_YML,
    }),
    ...operatorSecret(ctx, 'system-smtp', componentLabels(m, 'system', 'smtp')),
    configMap('system-environment', systemLabels, systemEnvironment(m)),
    deploymentConfig(m, {
      name: 'system-app',
      labels: appLabels,
      replicas: m.system.app.replicas,
      scalable: true,
      strategy: 'rolling',
      timeoutSeconds: 1200,
      hooks: systemAppHooks(m, extras),
      stream: 'amp-system',
      image: m.images.system,
      containers: [
        systemAppContainer(m, extras, 'system-master', ['env', 'TENANT_MODE=master', 'PORT=3002', ...unicorn], 'master', 3002, false),
        systemAppContainer(m, extras, 'system-provider', ['env', 'TENANT_MODE=provider', 'PORT=3000', ...unicorn], 'provider', 3000, false),
        systemAppContainer(m, extras, 'system-developer', ['env', 'PORT=3001', ...unicorn], 'developer', 3001, true),
      ],
      volumes: [...storageVolume, systemConfigVolume, ...extras.volumes],
      scheduling: m.system.app,
      serviceAccountName: 'amp',
      ...withAnnotations(appMarker),
      extraReconciledPaths: appMarker.paths,
    }),
    deploymentConfig(m, {
      name: 'system-sidekiq',
      labels: componentLabels(m, 'system', 'sidekiq'),
      replicas: m.system.sidekiq.replicas,
      scalable: true,
      strategy: 'rolling',
      timeoutSeconds: 1200,
      stream: 'amp-system',
      image: m.images.system,
      initContainers: [
        {
          name: 'check-svc',
          command: [
            'bash',
            '-c',
            'bundle exec sh -c "until rake boot:redis && curl --output /dev/null --silent --fail --head http://system-master:3000/status; do sleep $SLEEP_SECONDS; done"',
          ],
          env: [...SYSTEM_REDIS_ENV, literal('SLEEP_SECONDS', '1'), ...systemRedisExtraEnv(ctx)],
          ...(redisOnlyMounts.length > 0 ? { volumeMounts: redisOnlyMounts } : {}),
        },
      ],
      containers: [
        {
          name: 'system-sidekiq',
          args: ['rake', 'sidekiq:worker', 'RAILS_MAX_THREADS=25'],
          env: [...systemContainerEnv(m), ...extras.env],
          imagePullPolicy: 'IfNotPresent',
          resources: resourcesFor(m, 'system-sidekiq'),
          volumeMounts: [
            ...(pvc ? [{ name: 'system-storage', mountPath: '/opt/system/public/system' }] : []),
            { name: 'system-tmp', mountPath: '/tmp' },
            { name: 'system-config', mountPath: '/opt/system-extra-configs' },
            ...extras.mounts,
          ],
          ...(m.operatorExtras ? { ports: [{ name: 'metrics', containerPort: 9394, protocol: 'TCP' as const }] } : {}),
        },
      ],
      volumes: [{ name: 'system-tmp', emptyDir: { medium: 'Memory' } }, ...storageVolume, systemConfigVolume, ...extras.volumes],
      scheduling: m.system.sidekiq,
      serviceAccountName: 'amp',
      ...withAnnotations(sidekiqMarker),
      extraReconciledPaths: sidekiqMarker.paths,
    }),
    deploymentConfig(m, {
      name: 'system-sphinx',
      labels: componentLabels(m, 'system', 'sphinx'),
      replicas: 1,
      scalable: false,
      strategy: 'rolling',
      timeoutSeconds: 1200,
      stream: 'amp-system',
      image: m.images.system,
      initContainers: [{ name: 'system-master-svc', command: ['sh', '-c', WAIT_FOR_MASTER], env: [literal('SLEEP_SECONDS', '1')] }],
      containers: [
        {
          name: 'system-sphinx',
          args: ['rake', 'openshift:thinking_sphinx:start'],
          env: [
            fromConfigMap('RAILS_ENV', 'system-environment', 'RAILS_ENV'),
            fromSecret('DATABASE_URL', 'system-database', 'URL'),
            literal('THINKING_SPHINX_ADDRESS', '0.0.0.0'),
            literal('THINKING_SPHINX_CONFIGURATION_FILE', 'db/sphinx/production.conf'),
            literal('THINKING_SPHINX_PID_FILE', 'db/sphinx/searchd.pid'),
            literal('DELTA_INDEX_INTERVAL', '5'),
            literal('FULL_REINDEX_INTERVAL', '60'),
            ...SYSTEM_REDIS_ENV,
            ...systemRedisExtraEnv(ctx),
            ...systemDatabaseExtraEnv(ctx),
          ],
          imagePullPolicy: 'IfNotPresent',
          resources: resourcesFor(m, 'system-sphinx'),
          volumeMounts: [{ name: 'system-sphinx-database', mountPath: '/opt/system/db/sphinx' }, ...sphinxMounts],
          livenessProbe: tcpProbe(9306, { initialDelaySeconds: 60, periodSeconds: 10 }),
        },
      ],
      volumes: [{ name: 'system-sphinx-database', emptyDir: {} }, ...tlsVolumes(ctx, sphinxLinks)],
      scheduling: m.system.sphinx,
      serviceAccountName: 'amp',
      ...withAnnotations(sphinxMarker),
      extraReconciledPaths: sphinxMarker.paths,
    }),
    ...operatorSecret(ctx, 'system-events-hook', systemLabels),
    ...operatorSecret(ctx, 'system-redis', systemLabels),
    ...operatorSecret(ctx, 'system-master-apicast', systemLabels),
    ...operatorSecret(ctx, 'system-seed', systemLabels),
    ...operatorSecret(ctx, 'system-recaptcha', systemLabels),
    ...operatorSecret(ctx, 'system-app', systemLabels),
    ...operatorSecret(ctx, 'system-memcache', systemLabels),
  ];
}
