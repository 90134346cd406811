import assert from 'node:assert/strict';
import { build, containerOf, find } from '../../testing/build.js';
import { componentVersion } from '../common/labels.js';

describe('images builder (operator-objects §4.1)', () => {
  it('one tag named after the release, from the resolved image, with importPolicy.insecure from the CR', () => {
    const result = build({ imageStreamTagImportInsecure: true, system: { image: 'my.registry/system:7.1.2' } });
    const is = find(result, 'ImageStream', 'amp-system');
    assert.deepEqual(is.metadata.annotations, { 'openshift.io/display-name': 'AMP System' });
    assert.deepEqual(is.spec, {
      lookupPolicy: { local: false },
      tags: [
        {
          name: '2.9',
          annotations: { 'openshift.io/display-name': 'AMP system 2.9' },
          from: { kind: 'DockerImage', name: 'my.registry/system:7.1.2' },
          importPolicy: { insecure: true },
          referencePolicy: { type: '' },
        },
      ],
    });
    assert.equal(find(result, 'ImageStream', 'zync-database-postgresql').metadata.labels?.threescale_component, 'system');
    const app = find(result, 'DeploymentConfig', 'system-app').spec as { template: { metadata: { labels: Record<string, string> } } };
    assert.equal(app.template.metadata.labels['com.redhat.component-version'], '7.1.2');
  });

  it('ServiceAccount amp pulls with threescale-registry-auth', () => {
    assert.deepEqual(find(build(), 'ServiceAccount', 'amp').imagePullSecrets, [{ name: 'threescale-registry-auth' }]);
  });

  it('component-version label: x.y.z, then x.y, then the tag, then digits, then unknown; empty when too long', () => {
    assert.equal(componentVersion('registry.redhat.io/3scale-amp2/backend-rhel7:3scale2.9'), '2.9');
    assert.equal(componentVersion('quay.io/threescale-ts/apicast:0.1.0'), '0.1.0');
    assert.equal(componentVersion('quay.io/x/system:latest'), 'latest');
    assert.equal(componentVersion('quay.io/x/redis32'), '32');
    assert.equal(componentVersion('quay.io/x/redis'), 'unknown');
    assert.equal(componentVersion(`img:${'a'.repeat(64)}`), '');
  });
});

describe('memcached builder (operator-objects §4.6)', () => {
  it('system-memcache: memcached -m 64, port 11211, probes, Rolling 600', () => {
    const dc = find(build(), 'DeploymentConfig', 'system-memcache');
    const c = containerOf(dc, 'memcache');
    assert.deepEqual(c.command, ['memcached', '-m', '64']);
    assert.deepEqual(c.ports, [{ containerPort: 11211, protocol: 'TCP' }]);
    assert.deepEqual(c.readinessProbe, {
      exec: { command: ['sh', '-c', 'echo version | nc $HOSTNAME 11211 | grep VERSION'] },
      initialDelaySeconds: 10,
      periodSeconds: 30,
      timeoutSeconds: 5,
    });
    assert.equal(c.image, 'system-memcached:latest');
    assert.equal((dc.spec as { strategy: { rollingParams: { timeoutSeconds: number } } }).strategy.rollingParams.timeoutSeconds, 600);
  });
});
