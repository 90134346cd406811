import assert from 'node:assert/strict';
import { build, containerOf, envNotation, find, modelOf, names } from '../testing/build.js';
import { resolveSecrets } from '../secrets/resolve.js';
import { operatorValueSource } from '../secrets/value-source.js';
import { buildApiManagerObjects } from '../components/index.js';
import { applyFlavour } from './index.js';

describe('kubernetes flavour (operator.md §9)', () => {
  const openshift = build();
  const kube = build({}, { flavour: 'kubernetes' });

  it('each DeploymentConfig becomes a Deployment of the same name, no OpenShift kinds remain', () => {
    assert.deepEqual(names(kube, 'Deployment').sort(), names(openshift, 'DeploymentConfig').sort());
    for (const kind of ['DeploymentConfig', 'Route', 'ImageStream']) assert.deepEqual(names(kube, kind), [], kind);
  });

  it('selectors and pod labels stay deploymentConfig: <name>; Services are identical in both flavours', () => {
    const d = find(kube, 'Deployment', 'backend-listener').spec as {
      selector: unknown;
      template: { metadata: { labels: Record<string, string> } };
    };
    assert.deepEqual(d.selector, { matchLabels: { deploymentConfig: 'backend-listener' } });
    assert.equal(d.template.metadata.labels.deploymentConfig, 'backend-listener');
    for (const name of names(openshift, 'Service')) assert.deepEqual(find(kube, 'Service', name), find(openshift, 'Service', name), name);
  });

  it('images are set directly from the model, init containers included', () => {
    const d = find(kube, 'Deployment', 'apicast-production');
    assert.match(containerOf(d, 'apicast-production').image ?? '', /^quay\.io\/threescale-ts\/apicast:/);
    assert.equal(containerOf(d, 'system-master-svc', true).image, containerOf(d, 'apicast-production').image);
    assert.equal(
      containerOf(find(kube, 'Deployment', 'zync-database'), 'postgresql').image,
      'registry.redhat.io/rhscl/postgresql-10-rhel7',
    );
    assert.equal((d.spec as { triggers?: unknown }).triggers, undefined);
  });

  it('strategies: Rolling → RollingUpdate 25%/25%, Recreate kept, hooks removed', () => {
    assert.deepEqual((find(kube, 'Deployment', 'system-app').spec as { strategy: unknown }).strategy, {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });
    assert.deepEqual((find(kube, 'Deployment', 'system-mysql').spec as { strategy: unknown }).strategy, { type: 'Recreate' });
  });

  it('system-app hooks become Jobs with the hook command, env and volumes', () => {
    const preEntry = kube.objects.find((o) => o.object.metadata.name === 'system-app-pre');
    assert.deepEqual(preEntry?.reconcile, { mode: 'hook-job', phase: 'pre', workload: 'system-app' });
    const pre = find(kube, 'Job', 'system-app-pre');
    const pod = (
      pre.spec as { template: { spec: { restartPolicy: string; volumes: { name: string }[]; containers: { volumeMounts: unknown[] }[] } } }
    ).template.spec;
    assert.equal(pod.restartPolicy, 'Never');
    assert.deepEqual(
      pod.volumes.map((v) => v.name),
      ['system-storage'],
    );
    const c = containerOf(pre, 'system-app-pre');
    assert.deepEqual(c.command, ['bash', '-c', 'bundle exec rake boot openshift:deploy']);
    const env = envNotation(c.env);
    assert.equal(env.MASTER_ACCESS_TOKEN, 'sec:system-seed/MASTER_ACCESS_TOKEN');
    assert.equal(env.ORACLE_SYSTEM_PASSWORD, 'sec?:system-database/ORACLE_SYSTEM_PASSWORD');
    assert.equal(env.DATABASE_URL, 'sec:system-database/URL');
    assert.deepEqual(c.volumeMounts, [{ name: 'system-storage', mountPath: '/opt/system/public/system' }]);
    assert.match(pre.metadata.annotations?.['apps.3scale.net/workload-template-hash'] ?? '', /^[0-9a-f]{16}$/);
    const post = containerOf(find(kube, 'Job', 'system-app-post'), 'system-app-post');
    assert.deepEqual(post.command, ['bash', '-c', 'bundle exec rake boot openshift:post_deploy']);
    const jobPodLabels = (pre.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
    assert.equal(jobPodLabels.deploymentConfig, undefined, 'hook pods must not be selected by system-app Services');
  });

  it('one Ingress per default host, backend with TLS', () => {
    const hosts = kube.objects
      .filter((o) => o.object.kind === 'Ingress')
      .map(
        (o) =>
          (
            o.object.spec as {
              rules: { host: string; http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] } }[];
            }
          ).rules[0],
      );
    assert.deepEqual(
      hosts.map((r) => `${r.host} ${r.http.paths[0]?.backend.service.name}:${r.http.paths[0]?.backend.service.port.name}`),
      [
        'backend-3scale.example.com backend-listener:http',
        'master.example.com system-master:http',
        '3scale-admin.example.com system-provider:http',
        '3scale.example.com system-developer:http',
        'api-3scale-apicast-staging.example.com apicast-staging:gateway',
        'api-3scale-apicast-production.example.com apicast-production:gateway',
      ],
    );
    assert.deepEqual((find(kube, 'Ingress', 'backend').spec as { tls: unknown }).tls, [{ hosts: ['backend-3scale.example.com'] }]);
  });

  for (const [mode, spec] of Object.entries({
    default: {},
    ha: { highAvailability: { enabled: true } },
    s3: { system: { fileStorage: { simpleStorageService: { configurationSecretRef: { name: 'aws' } } } } },
    postgresql: { system: { database: { postgresql: {} } } },
    eval: { resourceRequirementsEnabled: false },
  })) {
    it(`${mode} mode: every workload keeps the DC's containers (env, ports, probes, mounts, resources) except the image`, () => {
      // One secret resolution for both flavours, as in one reconcile pass.
      const model = modelOf(spec);
      const os = buildApiManagerObjects({
        model,
        secrets: resolveSecrets(model, new Map(), operatorValueSource, { checkUserSecrets: false }),
      });
      const k8s = applyFlavour(os, 'kubernetes', model);
      type Pod = {
        template: {
          metadata: unknown;
          spec: { containers: { image?: string }[]; initContainers?: { image?: string }[]; volumes?: unknown };
        };
      };
      const strip = (pod: Pod['template']['spec']) => ({
        ...pod,
        containers: pod.containers.map((c) => ({ ...c, image: '' })),
        initContainers: pod.initContainers?.map((c) => ({ ...c, image: '' })),
      });
      for (const name of names(os, 'DeploymentConfig')) {
        const dc = (find(os, 'DeploymentConfig', name).spec as Pod).template;
        const d = (find(k8s, 'Deployment', name).spec as Pod).template;
        assert.deepEqual(d.metadata, dc.metadata, name);
        assert.deepEqual(strip(d.spec), strip(dc.spec), name);
      }
    });
  }

  it('S3 mode: the pre-hook Job mounts nothing', () => {
    const s3 = build(
      { system: { fileStorage: { simpleStorageService: { configurationSecretRef: { name: 'aws' } } } } },
      { flavour: 'kubernetes' },
    );
    const pod = (find(s3, 'Job', 'system-app-pre').spec as { template: { spec: { volumes?: unknown } } }).template.spec;
    assert.equal(pod.volumes, undefined);
  });
});
