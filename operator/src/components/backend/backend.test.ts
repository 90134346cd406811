import assert from 'node:assert/strict';
import { build, containerOf, envNotation, find } from '../../testing/build.js';

const BE_COMMON = {
  CONFIG_REDIS_PROXY: 'sec:backend-redis/REDIS_STORAGE_URL',
  CONFIG_REDIS_SENTINEL_HOSTS: 'sec:backend-redis/REDIS_STORAGE_SENTINEL_HOSTS',
  CONFIG_REDIS_SENTINEL_ROLE: 'sec:backend-redis/REDIS_STORAGE_SENTINEL_ROLE',
  CONFIG_QUEUES_MASTER_NAME: 'sec:backend-redis/REDIS_QUEUES_URL',
  CONFIG_QUEUES_SENTINEL_HOSTS: 'sec:backend-redis/REDIS_QUEUES_SENTINEL_HOSTS',
  CONFIG_QUEUES_SENTINEL_ROLE: 'sec:backend-redis/REDIS_QUEUES_SENTINEL_ROLE',
  RACK_ENV: 'cm:backend-environment/RACK_ENV',
};

describe('backend builder (operator-objects §4.3)', () => {
  const result = build({ tenantName: 'acme', backend: { listenerSpec: { replicas: 3 } } });

  it('listener: env in order with the operator metrics settings, ports, probes', () => {
    const dc = find(result, 'DeploymentConfig', 'backend-listener');
    const c = containerOf(dc, 'backend-listener');
    assert.deepEqual(
      Object.entries(envNotation(c.env)),
      Object.entries({
        ...BE_COMMON,
        PUMA_WORKERS: '"16"',
        CONFIG_INTERNAL_API_USER: 'sec:backend-internal-api/username',
        CONFIG_INTERNAL_API_PASSWORD: 'sec:backend-internal-api/password',
        CONFIG_LISTENER_PROMETHEUS_METRICS_PORT: '"9394"',
        CONFIG_LISTENER_PROMETHEUS_METRICS_ENABLED: '"true"',
      }),
    );
    assert.deepEqual(c.args, ['bin/3scale_backend', 'start', '-e', 'production', '-p', '3000', '-x', '/dev/stdout']);
    assert.deepEqual(c.ports, [
      { containerPort: 3000, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9394, protocol: 'TCP' },
    ]);
    assert.deepEqual(c.livenessProbe, { tcpSocket: { port: 3000 }, initialDelaySeconds: 30, periodSeconds: 10 });
    assert.deepEqual(c.readinessProbe, { httpGet: { path: '/status', port: 3000 }, initialDelaySeconds: 30, timeoutSeconds: 5 });
    assert.deepEqual(c.resources, { requests: { cpu: '500m', memory: '550Mi' }, limits: { cpu: '1', memory: '700Mi' } });
    assert.equal((dc.spec as { replicas: number }).replicas, 3);
  });

  it('worker and cron wait for redis through backend-redis-svc with BE_COMMON + SLEEP_SECONDS', () => {
    for (const name of ['backend-worker', 'backend-cron']) {
      const dc = find(result, 'DeploymentConfig', name);
      const init = containerOf(dc, 'backend-redis-svc', true);
      assert.deepEqual(envNotation(init.env), { ...BE_COMMON, SLEEP_SECONDS: '"1"' });
      assert.equal(init.image, 'amp-backend:latest');
      const trigger = (dc.spec as { triggers: { imageChangeParams?: { containerNames: string[]; from: { name: string } } }[] }).triggers[1];
      assert.deepEqual(trigger.imageChangeParams?.containerNames, ['backend-redis-svc', name]);
      assert.equal(trigger.imageChangeParams.from.name, 'amp-backend:2.9');
    }
    const worker = containerOf(find(result, 'DeploymentConfig', 'backend-worker'), 'backend-worker');
    assert.deepEqual(envNotation(worker.env), {
      ...BE_COMMON,
      CONFIG_EVENTS_HOOK: 'sec:system-events-hook/URL',
      CONFIG_EVENTS_HOOK_SHARED_SECRET: 'sec:system-events-hook/PASSWORD',
      CONFIG_WORKER_PROMETHEUS_METRICS_PORT: '"9421"',
      CONFIG_WORKER_PROMETHEUS_METRICS_ENABLED: '"true"',
    });
    assert.deepEqual(worker.ports, [{ name: 'metrics', containerPort: 9421, protocol: 'TCP' }]);
  });

  it('Route backend: host from tenant and wildcard, edge TLS to backend-listener:http', () => {
    assert.deepEqual(find(result, 'Route', 'backend').spec, {
      host: 'backend-acme.example.com',
      to: { kind: 'Service', name: 'backend-listener' },
      port: { targetPort: 'http' },
      tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Allow' },
    });
  });

  it('labels, selectors and rolling strategy', () => {
    const dc = find(result, 'DeploymentConfig', 'backend-listener');
    assert.deepEqual(dc.metadata.labels, {
      app: '3scale-api-management',
      threescale_component: 'backend',
      threescale_component_element: 'listener',
    });
    const spec = dc.spec as { selector: unknown; strategy: unknown; template: { metadata: { labels: Record<string, string> } } };
    assert.deepEqual(spec.selector, { deploymentConfig: 'backend-listener' });
    assert.deepEqual(spec.strategy, {
      type: 'Rolling',
      rollingParams: { intervalSeconds: 1, updatePeriodSeconds: 1, maxSurge: '25%', maxUnavailable: '25%', timeoutSeconds: 600 },
    });
    const podLabels = spec.template.metadata.labels;
    assert.equal(podLabels.deploymentConfig, 'backend-listener');
    assert.equal(podLabels['com.redhat.component-name'], 'backend-listener');
    assert.equal(podLabels['com.redhat.component-version'], '2.9');
    assert.deepEqual((find(result, 'Service', 'backend-listener').spec as { selector: unknown }).selector, {
      deploymentConfig: 'backend-listener',
    });
  });

  it('redis consumers carry the redis-config-hash marker, reconciled', () => {
    const entry = result.objects.find((o) => o.object.metadata.name === 'backend-worker' && o.object.kind === 'DeploymentConfig');
    const annotations = (entry?.object.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata
      .annotations;
    assert.match(annotations['apps.3scale.net/redis-config-hash'] ?? '', /^[0-9a-f]{64}$/);
    assert.ok(
      entry?.reconcile.mode === 'fields' &&
        entry.reconcile.paths.includes('spec.template.metadata.annotations.apps\\.3scale\\.net/redis-config-hash'),
    );
  });
});
