import assert from 'node:assert/strict';
import { build, containerOf, envNotation, find } from '../../testing/build.js';
import type { ExecNewPodHook } from '../common/openshift-types.js';

interface DcSpec {
  strategy: { rollingParams: { pre: ExecNewPodHook; post: ExecNewPodHook; timeoutSeconds: number } };
  template: { spec: { volumes?: { name: string }[] } };
}

// SYS_BASE of operator-objects §4.7, entry by entry, in order.
const SYS_BASE = `AMP_RELEASE cm:system-environment/AMP_RELEASE
APICAST_REGISTRY_URL cm:system-environment/APICAST_REGISTRY_URL
FORCE_SSL cm:system-environment/FORCE_SSL
PROVIDER_PLAN cm:system-environment/PROVIDER_PLAN
RAILS_ENV cm:system-environment/RAILS_ENV
RAILS_LOG_LEVEL cm:system-environment/RAILS_LOG_LEVEL
RAILS_LOG_TO_STDOUT cm:system-environment/RAILS_LOG_TO_STDOUT
SSL_CERT_DIR cm:system-environment/SSL_CERT_DIR
THINKING_SPHINX_PORT cm:system-environment/THINKING_SPHINX_PORT
THREESCALE_SANDBOX_PROXY_OPENSSL_VERIFY_MODE cm:system-environment/THREESCALE_SANDBOX_PROXY_OPENSSL_VERIFY_MODE
THREESCALE_SUPERDOMAIN cm:system-environment/THREESCALE_SUPERDOMAIN
DATABASE_URL sec:system-database/URL
MASTER_DOMAIN sec:system-seed/MASTER_DOMAIN
MASTER_USER sec:system-seed/MASTER_USER
MASTER_PASSWORD sec:system-seed/MASTER_PASSWORD
ADMIN_ACCESS_TOKEN sec:system-seed/ADMIN_ACCESS_TOKEN
USER_LOGIN sec:system-seed/ADMIN_USER
USER_PASSWORD sec:system-seed/ADMIN_PASSWORD
USER_EMAIL sec:system-seed/ADMIN_EMAIL
TENANT_NAME sec:system-seed/TENANT_NAME
THINKING_SPHINX_ADDRESS "system-sphinx"
THINKING_SPHINX_CONFIGURATION_FILE "/tmp/sphinx.conf"
EVENTS_SHARED_SECRET sec:system-events-hook/PASSWORD
RECAPTCHA_PUBLIC_KEY sec:system-recaptcha/PUBLIC_KEY
RECAPTCHA_PRIVATE_KEY sec:system-recaptcha/PRIVATE_KEY
SECRET_KEY_BASE sec:system-app/SECRET_KEY_BASE
MEMCACHE_SERVERS sec:system-memcache/SERVERS
REDIS_URL sec:system-redis/URL
MESSAGE_BUS_REDIS_URL sec:system-redis/MESSAGE_BUS_URL
REDIS_NAMESPACE sec:system-redis/NAMESPACE
MESSAGE_BUS_REDIS_NAMESPACE sec:system-redis/MESSAGE_BUS_NAMESPACE
REDIS_SENTINEL_HOSTS sec:system-redis/SENTINEL_HOSTS
REDIS_SENTINEL_ROLE sec:system-redis/SENTINEL_ROLE
MESSAGE_BUS_REDIS_SENTINEL_HOSTS sec:system-redis/MESSAGE_BUS_SENTINEL_HOSTS
MESSAGE_BUS_REDIS_SENTINEL_ROLE sec:system-redis/MESSAGE_BUS_SENTINEL_ROLE
BACKEND_REDIS_URL sec:backend-redis/REDIS_STORAGE_URL
BACKEND_REDIS_SENTINEL_HOSTS sec:backend-redis/REDIS_STORAGE_SENTINEL_HOSTS
BACKEND_REDIS_SENTINEL_ROLE sec:backend-redis/REDIS_STORAGE_SENTINEL_ROLE
APICAST_BACKEND_ROOT_ENDPOINT sec:backend-listener/route_endpoint
BACKEND_ROUTE sec:backend-listener/route_endpoint
SMTP_ADDRESS sec:system-smtp/address
SMTP_USER_NAME sec:system-smtp/username
SMTP_PASSWORD sec:system-smtp/password
SMTP_DOMAIN sec:system-smtp/domain
SMTP_PORT sec:system-smtp/port
SMTP_AUTHENTICATION sec:system-smtp/authentication
SMTP_OPENSSL_VERIFY_MODE sec:system-smtp/openssl.verify.mode
APICAST_ACCESS_TOKEN sec:system-master-apicast/ACCESS_TOKEN
ZYNC_AUTHENTICATION_TOKEN sec:zync/ZYNC_AUTHENTICATION_TOKEN
CONFIG_INTERNAL_API_USER sec:backend-internal-api/username
CONFIG_INTERNAL_API_PASSWORD sec:backend-internal-api/password`
  .split('\n')
  .map((line) => line.split(' ') as [string, string]);

describe('system builder (operator-objects §4.7)', () => {
  const result = build();
  const app = find(result, 'DeploymentConfig', 'system-app');

  it('SYS_BASE: the 51 entries of the inventory, in order, for the three containers and sidekiq', () => {
    for (const [dc, container] of [
      ['system-app', 'system-master'],
      ['system-app', 'system-provider'],
      ['system-app', 'system-developer'],
      ['system-sidekiq', 'system-sidekiq'],
    ] as const) {
      assert.deepEqual(Object.entries(envNotation(containerOf(find(result, 'DeploymentConfig', dc), container).env)), SYS_BASE, container);
    }
  });

  it('system-app containers use SYS_BASE (51 entries) with the documented sources', () => {
    for (const name of ['system-master', 'system-provider', 'system-developer']) {
      const env = envNotation(containerOf(app, name).env);
      assert.equal(Object.keys(env).length, 51, name);
      assert.equal(env.AMP_RELEASE, 'cm:system-environment/AMP_RELEASE');
      assert.equal(env.DATABASE_URL, 'sec:system-database/URL');
      assert.equal(env.USER_LOGIN, 'sec:system-seed/ADMIN_USER');
      assert.equal(env.THINKING_SPHINX_ADDRESS, '"system-sphinx"');
      assert.equal(env.SMTP_OPENSSL_VERIFY_MODE, 'sec:system-smtp/openssl.verify.mode');
      assert.equal(env.BACKEND_ROUTE, 'sec:backend-listener/route_endpoint');
      assert.equal(env.BACKEND_REDIS_URL, 'sec:backend-redis/REDIS_STORAGE_URL');
      assert.equal(env.ZYNC_AUTHENTICATION_TOKEN, 'sec:zync/ZYNC_AUTHENTICATION_TOKEN');
      assert.equal(env.CONFIG_INTERNAL_API_PASSWORD, 'sec:backend-internal-api/password');
      assert.equal(Object.keys(env).at(-1), 'CONFIG_INTERNAL_API_PASSWORD');
    }
  });

  it('system-app ports, probes and mounts (developer mounts storage read-only)', () => {
    const master = containerOf(app, 'system-master');
    assert.deepEqual(master.ports, [{ name: 'master', containerPort: 3002, protocol: 'TCP' }]);
    assert.deepEqual(master.livenessProbe, {
      tcpSocket: { port: 'master' },
      initialDelaySeconds: 40,
      timeoutSeconds: 10,
      periodSeconds: 10,
      failureThreshold: 40,
    });
    assert.deepEqual(master.readinessProbe, {
      httpGet: { path: '/check.txt', port: 'master', scheme: 'HTTP', httpHeaders: [{ name: 'X-Forwarded-Proto', value: 'https' }] },
      initialDelaySeconds: 60,
      timeoutSeconds: 10,
      periodSeconds: 30,
      failureThreshold: 10,
    });
    const dev = containerOf(app, 'system-developer');
    assert.deepEqual(dev.volumeMounts, [
      { name: 'system-storage', mountPath: '/opt/system/public/system', readOnly: true },
      { name: 'system-config', mountPath: '/opt/system-extra-configs' },
    ]);
  });

  it('pre hook: SYS_BASE + MASTER_ACCESS_TOKEN + optional ORACLE_SYSTEM_PASSWORD, Retry, system-storage; post hook Abort', () => {
    const { pre, post, timeoutSeconds } = (app.spec as DcSpec).strategy.rollingParams;
    assert.equal(timeoutSeconds, 1200);
    assert.equal(pre.failurePolicy, 'Retry');
    assert.deepEqual(pre.execNewPod.command, ['bash', '-c', 'bundle exec rake boot openshift:deploy']);
    const preEnv = envNotation(pre.execNewPod.env);
    assert.equal(Object.keys(preEnv).length, 53);
    assert.equal(preEnv.MASTER_ACCESS_TOKEN, 'sec:system-seed/MASTER_ACCESS_TOKEN');
    assert.equal(preEnv.ORACLE_SYSTEM_PASSWORD, 'sec?:system-database/ORACLE_SYSTEM_PASSWORD');
    assert.deepEqual(pre.execNewPod.volumes, ['system-storage']);
    assert.equal(post.failurePolicy, 'Abort');
    assert.deepEqual(post.execNewPod.command, ['bash', '-c', 'bundle exec rake boot openshift:post_deploy']);
    assert.deepEqual(envNotation(post.execNewPod.env), { ORACLE_SYSTEM_PASSWORD: 'sec?:system-database/ORACLE_SYSTEM_PASSWORD' });
  });

  it('S3 mode: no storage volume, S3 env block from the CR-named secret, FILE_UPLOAD_STORAGE', () => {
    const s3 = build({ system: { fileStorage: { simpleStorageService: { configurationSecretRef: { name: 'my-s3' } } } } });
    const s3App = find(s3, 'DeploymentConfig', 'system-app');
    const env = envNotation(containerOf(s3App, 'system-provider').env);
    assert.equal(Object.keys(env).length, 51 + 8);
    assert.equal(env.FILE_UPLOAD_STORAGE, 'cm:system-environment/FILE_UPLOAD_STORAGE');
    assert.equal(env.AWS_BUCKET, 'sec:my-s3/AWS_BUCKET');
    assert.equal(env.AWS_PATH_STYLE, 'sec?:my-s3/AWS_PATH_STYLE');
    const spec = s3App.spec as DcSpec;
    assert.ok(!(spec.template.spec.volumes ?? []).some((v) => v.name === 'system-storage'));
    assert.equal(spec.strategy.rollingParams.pre.execNewPod.volumes, undefined);
    const preKeys = Object.keys(envNotation(spec.strategy.rollingParams.pre.execNewPod.env));
    assert.deepEqual(preKeys.slice(51), [
      'MASTER_ACCESS_TOKEN',
      'FILE_UPLOAD_STORAGE',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_BUCKET',
      'AWS_REGION',
      'AWS_PROTOCOL',
      'AWS_HOSTNAME',
      'AWS_PATH_STYLE',
      'ORACLE_SYSTEM_PASSWORD',
    ]);
    assert.equal((find(s3, 'ConfigMap', 'system-environment').data as Record<string, string>).FILE_UPLOAD_STORAGE, 's3');
    assert.ok(!s3.objects.some((o) => o.object.metadata.name === 'my-s3'), 'the S3 secret is user-provided');
  });

  it('sidekiq: check-svc init with SYS_REDIS, metrics port, tmpfs /tmp', () => {
    const sidekiq = find(result, 'DeploymentConfig', 'system-sidekiq');
    const init = containerOf(sidekiq, 'check-svc', true);
    assert.deepEqual(Object.keys(envNotation(init.env)), [
      'REDIS_URL',
      'MESSAGE_BUS_REDIS_URL',
      'REDIS_NAMESPACE',
      'MESSAGE_BUS_REDIS_NAMESPACE',
      'REDIS_SENTINEL_HOSTS',
      'REDIS_SENTINEL_ROLE',
      'MESSAGE_BUS_REDIS_SENTINEL_HOSTS',
      'MESSAGE_BUS_REDIS_SENTINEL_ROLE',
      'SLEEP_SECONDS',
    ]);
    const c = containerOf(sidekiq, 'system-sidekiq');
    assert.deepEqual(c.ports, [{ name: 'metrics', containerPort: 9394, protocol: 'TCP' }]);
    assert.deepEqual(c.resources, { requests: { cpu: '100m', memory: '500Mi' }, limits: { cpu: '1', memory: '2Gi' } });
  });

  it('sphinx env order and liveness', () => {
    const c = containerOf(find(result, 'DeploymentConfig', 'system-sphinx'), 'system-sphinx');
    assert.deepEqual(Object.keys(envNotation(c.env)).slice(0, 7), [
      'RAILS_ENV',
      'DATABASE_URL',
      'THINKING_SPHINX_ADDRESS',
      'THINKING_SPHINX_CONFIGURATION_FILE',
      'THINKING_SPHINX_PID_FILE',
      'DELTA_INDEX_INTERVAL',
      'FULL_REINDEX_INTERVAL',
    ]);
    assert.deepEqual(c.livenessProbe, { tcpSocket: { port: 9306 }, initialDelaySeconds: 60, periodSeconds: 10 });
  });

  it('system-environment ConfigMap and system-storage PVC', () => {
    const data = find(result, 'ConfigMap', 'system-environment').data as Record<string, string>;
    assert.equal(data.THREESCALE_SUPERDOMAIN, 'example.com');
    assert.equal(data.APICAST_REGISTRY_URL, 'http://apicast-staging:8090/policies');
    assert.equal(data.AMP_RELEASE, '2.9');
    assert.equal(data.FILE_UPLOAD_STORAGE, undefined);
    assert.deepEqual(find(result, 'PersistentVolumeClaim', 'system-storage').spec, {
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: '100Mi' } },
    });
    const cm = find(result, 'ConfigMap', 'system').data as Record<string, string>;
    assert.deepEqual(Object.keys(cm), ['zync.yml', 'rolling_updates.yml', 'service_discovery.yml']);
    assert.equal(cm['rolling_updates.yml'], 'production: {}\n');
  });

  it('UI services target the named ports of system-app', () => {
    const svc = find(result, 'Service', 'system-master').spec as { ports: unknown; selector: unknown };
    assert.deepEqual(svc.ports, [{ name: 'http', port: 3000, protocol: 'TCP', targetPort: 'master' }]);
    assert.deepEqual(svc.selector, { deploymentConfig: 'system-app' });
  });
});
