import assert from 'node:assert/strict';
import { build, containerOf, envNotation, find } from '../../testing/build.js';

const ZYNC_ENV = {
  RAILS_LOG_TO_STDOUT: '"true"',
  RAILS_ENV: '"production"',
  DATABASE_URL: 'sec:zync/DATABASE_URL',
  SECRET_KEY_BASE: 'sec:zync/SECRET_KEY_BASE',
  ZYNC_AUTHENTICATION_TOKEN: 'sec:zync/ZYNC_AUTHENTICATION_TOKEN',
  POD_NAME: 'field:metadata.name',
  POD_NAMESPACE: 'field:metadata.namespace',
};

describe('zync builder (operator-objects §4.8)', () => {
  const result = build();

  it('zync: init waits for the database, env, metrics port, probes, DC annotations', () => {
    const dc = find(result, 'DeploymentConfig', 'zync');
    assert.deepEqual(envNotation(containerOf(dc, 'zync-db-svc', true).env), {
      SLEEP_SECONDS: '"1"',
      DATABASE_URL: 'sec:zync/DATABASE_URL',
    });
    const c = containerOf(dc, 'zync');
    assert.deepEqual(envNotation(c.env), ZYNC_ENV);
    assert.deepEqual(c.ports, [
      { containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9393, protocol: 'TCP' },
    ]);
    assert.equal(c.imagePullPolicy, undefined);
    assert.deepEqual(c.readinessProbe, {
      httpGet: { path: '/status/ready', port: 8080, scheme: 'HTTP' },
      initialDelaySeconds: 100,
      timeoutSeconds: 10,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    assert.deepEqual(c.resources, { requests: { cpu: '150m', memory: '250M' }, limits: { cpu: '1', memory: '512Mi' } });
    assert.deepEqual(dc.metadata.annotations, { 'prometheus.io/port': '9393', 'prometheus.io/scrape': 'true' });
    assert.deepEqual((dc.spec as { strategy: unknown }).strategy, {});
  });

  it('zync-que: own service account, que container, liveness on /metrics', () => {
    const dc = find(result, 'DeploymentConfig', 'zync-que');
    const pod = (dc.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    assert.equal(pod.serviceAccountName, 'zync-que-sa');
    assert.equal(pod.restartPolicy, 'Always');
    const c = containerOf(dc, 'que');
    assert.equal(c.imagePullPolicy, 'Always');
    assert.deepEqual(c.args, ['-c', "bundle exec rake 'que[--worker-count 10]'"]);
    assert.deepEqual(envNotation(c.env), ZYNC_ENV);
    assert.equal(dc.metadata.labels?.threescale_component_element, 'zync-que');
  });

  it('zync-database: emptyDir, blank image, password from the zync secret', () => {
    const dc = find(result, 'DeploymentConfig', 'zync-database');
    const c = containerOf(dc, 'postgresql');
    assert.equal(c.image, ' ');
    assert.deepEqual(envNotation(c.env), {
      POSTGRESQL_USER: '"zync"',
      POSTGRESQL_PASSWORD: 'sec:zync/ZYNC_DATABASE_PASSWORD',
      POSTGRESQL_DATABASE: '"zync_production"',
    });
    assert.deepEqual((dc.spec as { template: { spec: { volumes: unknown } } }).template.spec.volumes, [
      { name: 'zync-database-data', emptyDir: {} },
    ]);
    assert.deepEqual(c.resources, { requests: { cpu: '50m', memory: '250M' }, limits: { cpu: '250m', memory: '2G' } });
  });

  it('zync-que Role grants exactly the route rules', () => {
    const role = find(result, 'Role', 'zync-que-role') as unknown as { rules: { resources: string[]; verbs: string[] }[] };
    assert.deepEqual(
      role.rules.map((r) => r.resources.join(',')),
      ['deploymentconfigs', 'pods,replicationcontrollers', 'routes', 'routes/status', 'routes/custom-host'],
    );
    assert.deepEqual(find(result, 'RoleBinding', 'zync-que-rolebinding').subjects, [{ kind: 'ServiceAccount', name: 'zync-que-sa' }]);
  });
});
