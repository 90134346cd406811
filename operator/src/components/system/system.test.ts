import assert from 'node:assert/strict';
import { build, containerOf, envNotation, find } from '../../testing/build.js';
import type { ExecNewPodHook } from '../common/openshift-types.js';

interface DcSpec { strategy: { rollingParams: { pre: ExecNewPodHook; post: ExecNewPodHook; timeoutSeconds: number } }; template: { spec: { volumes?: { name: string }[] } } }

describe('system builder (operator-objects §4.7)', () => {
  const result = build();
  const app = find(result, 'DeploymentConfig', 'system-app');

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
    assert.deepEqual(master.livenessProbe, { tcpSocket: { port: 'master' }, initialDelaySeconds: 40, timeoutSeconds: 10, periodSeconds: 10, failureThreshold: 40 });
    assert.deepEqual(master.readinessProbe, {
      httpGet: { path: '/check.txt', port: 'master', scheme: 'HTTP', httpHeaders: [{ name: 'X-Forwarded-Proto', value: 'https' }] },
      initialDelaySeconds: 60, timeoutSeconds: 10, periodSeconds: 30, failureThreshold: 10,
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
    assert.deepEqual(preKeys.slice(51), ['MASTER_ACCESS_TOKEN', 'FILE_UPLOAD_STORAGE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_BUCKET', 'AWS_REGION', 'AWS_PROTOCOL', 'AWS_HOSTNAME', 'AWS_PATH_STYLE', 'ORACLE_SYSTEM_PASSWORD']);
    assert.equal((find(s3, 'ConfigMap', 'system-environment').data as Record<string, string>).FILE_UPLOAD_STORAGE, 's3');
    assert.ok(!s3.objects.some((o) => o.object.metadata.name === 'my-s3'), 'the S3 secret is user-provided');
  });

  it('sidekiq: check-svc init with SYS_REDIS, metrics port, tmpfs /tmp', () => {
    const sidekiq = find(result, 'DeploymentConfig', 'system-sidekiq');
    const init = containerOf(sidekiq, 'check-svc', true);
    assert.deepEqual(Object.keys(envNotation(init.env)), ['REDIS_URL', 'MESSAGE_BUS_REDIS_URL', 'REDIS_NAMESPACE', 'MESSAGE_BUS_REDIS_NAMESPACE', 'REDIS_SENTINEL_HOSTS', 'REDIS_SENTINEL_ROLE', 'MESSAGE_BUS_REDIS_SENTINEL_HOSTS', 'MESSAGE_BUS_REDIS_SENTINEL_ROLE', 'SLEEP_SECONDS']);
    const c = containerOf(sidekiq, 'system-sidekiq');
    assert.deepEqual(c.ports, [{ name: 'metrics', containerPort: 9394, protocol: 'TCP' }]);
    assert.deepEqual(c.resources, { requests: { cpu: '100m', memory: '500Mi' }, limits: { cpu: '1', memory: '2Gi' } });
  });

  it('sphinx env order and liveness', () => {
    const c = containerOf(find(result, 'DeploymentConfig', 'system-sphinx'), 'system-sphinx');
    assert.deepEqual(Object.keys(envNotation(c.env)).slice(0, 7), ['RAILS_ENV', 'DATABASE_URL', 'THINKING_SPHINX_ADDRESS', 'THINKING_SPHINX_CONFIGURATION_FILE', 'THINKING_SPHINX_PID_FILE', 'DELTA_INDEX_INTERVAL', 'FULL_REINDEX_INTERVAL']);
    assert.deepEqual(c.livenessProbe, { tcpSocket: { port: 9306 }, initialDelaySeconds: 60, periodSeconds: 10 });
  });

  it('system-environment ConfigMap and system-storage PVC', () => {
    const data = find(result, 'ConfigMap', 'system-environment').data as Record<string, string>;
    assert.equal(data.THREESCALE_SUPERDOMAIN, 'example.com');
    assert.equal(data.APICAST_REGISTRY_URL, 'http://apicast-staging:8090/policies');
    assert.equal(data.AMP_RELEASE, '2.9');
    assert.equal(data.FILE_UPLOAD_STORAGE, undefined);
    assert.deepEqual(find(result, 'PersistentVolumeClaim', 'system-storage').spec, { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '100Mi' } } });
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
