import assert from 'node:assert/strict';
import { build, containerOf, find } from '../../testing/build.js';

describe('redis builder (operator-objects §4.2)', () => {
  const result = build({ backend: { redisPersistentVolumeClaim: { storageClassName: 'fast' } } });

  it('backend-redis and system-redis: command, probes, volumes, Recreate', () => {
    const backend = containerOf(find(result, 'DeploymentConfig', 'backend-redis'), 'backend-redis');
    assert.deepEqual(backend.command, ['/opt/rh/rh-redis32/root/usr/bin/redis-server']);
    assert.deepEqual(backend.args, ['/etc/redis.d/redis.conf', '--daemonize', 'no']);
    assert.equal(backend.ports, undefined);
    assert.deepEqual(backend.livenessProbe, { tcpSocket: { port: 6379 }, initialDelaySeconds: 10, periodSeconds: 10 });
    assert.deepEqual(backend.readinessProbe?.exec?.command, [
      'container-entrypoint',
      'bash',
      '-c',
      'redis-cli set liveness-probe "`date`" | grep OK',
    ]);
    assert.deepEqual(backend.resources, { requests: { cpu: '1000m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '32Gi' } });
    const system = containerOf(find(result, 'DeploymentConfig', 'system-redis'), 'system-redis');
    assert.equal(system.terminationMessagePath, '/dev/termination-log');
    assert.deepEqual(system.readinessProbe, {
      exec: { command: backend.readinessProbe.exec.command },
      initialDelaySeconds: 30,
      periodSeconds: 10,
      timeoutSeconds: 5,
    });
    assert.deepEqual((find(result, 'DeploymentConfig', 'system-redis').spec as { strategy: unknown }).strategy, { type: 'Recreate' });
  });

  it('PVCs: RWO 1Gi with the CR storage class; redis-config labelled system/redis', () => {
    assert.deepEqual(find(result, 'PersistentVolumeClaim', 'backend-redis-storage').spec, {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
      storageClassName: 'fast',
    });
    assert.equal(
      (find(result, 'PersistentVolumeClaim', 'system-redis-storage').spec as { storageClassName?: string }).storageClassName,
      undefined,
    );
    const cm = find(result, 'ConfigMap', 'redis-config');
    assert.equal(cm.metadata.labels?.threescale_component, 'system');
    assert.match((cm.data as Record<string, string>)['redis.conf'] ?? '', /^protected-mode no\n[\s\S]*dir \/var\/lib\/redis\/data\n$/);
  });

  it('Services: backend-redis unnamed port, system-redis port named redis', () => {
    assert.deepEqual((find(result, 'Service', 'backend-redis').spec as { ports: unknown }).ports, [
      { port: 6379, protocol: 'TCP', targetPort: 6379 },
    ]);
    assert.deepEqual((find(result, 'Service', 'system-redis').spec as { ports: unknown }).ports, [
      { name: 'redis', port: 6379, protocol: 'TCP', targetPort: 6379 },
    ]);
  });
});
