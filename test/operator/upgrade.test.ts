/**
 * Adoption of an installation reconciled by a previous operator version (operator.md §5): the CR carries the old
 * version annotations and the objects carry its owner references but not our Redis marker. The new operator must
 * keep every object (same UIDs, nothing recreated), stamp the CR with its version, and roll the Redis consumers
 * once, in order, only through the marker.
 */
import assert from 'node:assert/strict';
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { renderDocument } from '../../operator/src/render/render.js';
import { startRedis } from '../support/redis.js';
import { OPERATOR_VERSION } from '../../operator/src/api/defaults.js';
import { eventually } from './fixture.js';
import { operatorSuite } from './suite.js';

const APIM = 'apps.3scale.net/v1alpha1';
const MARKER = 'apps.3scale.net/redis-config-hash';
const METRICS_ENV = [
  'APICAST_EXTENDED_METRICS',
  'CONFIG_WORKER_PROMETHEUS_METRICS_PORT',
  'CONFIG_WORKER_PROMETHEUS_METRICS_ENABLED',
  'CONFIG_LISTENER_PROMETHEUS_METRICS_PORT',
  'CONFIG_LISTENER_PROMETHEUS_METRICS_ENABLED',
];
const USER_LABEL = 'example.test/team';

interface Env {
  name: string;
  value?: string;
}
interface Port {
  name?: string;
  containerPort: number;
}
type Dc = KubeObject & {
  spec: {
    triggers: { type: string; imageChangeParams?: { from: { name: string } } }[];
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: { containers: { name: string; env?: Env[]; ports?: Port[] }[] };
    };
  };
};
type Stream = KubeObject & { spec: { tags: { name: string; from?: { kind: string; name: string } }[] } };

/**
 * Reshapes a rendered 2.9 object the way the 2.8 operator left it (operator-objects.md "[2.6–2.8]", operator.md
 * §5): ImageStreams with a `2.8` tag plus the `latest` alias, DC triggers on `<is>:latest`, no metering pod
 * labels, no metrics env/ports. Plus what a user added since: a label on each pod template and, on amp-backend,
 * an alias tag of their own.
 */
function asLeftByPreviousOperator(object: KubeObject): KubeObject {
  const body = structuredClone(object);
  if (body.kind === 'ImageStream') {
    const stream = body as Stream;
    const previous = { ...stream.spec.tags[0], name: '2.8' };
    stream.spec.tags = [previous, { name: 'latest', from: { kind: 'ImageStreamTag', name: '2.8' } }];
    if (body.metadata.name === 'amp-backend') stream.spec.tags.push({ name: 'mine', from: { kind: 'ImageStreamTag', name: '2.8' } });
  }
  if (body.kind === 'DeploymentConfig') {
    const dc = body as Dc;
    for (const trigger of dc.spec.triggers)
      if (trigger.imageChangeParams) trigger.imageChangeParams.from.name = `${trigger.imageChangeParams.from.name.split(':')[0]}:latest`;
    const labels = Object.fromEntries(Object.entries(dc.spec.template.metadata.labels).filter(([k]) => !k.startsWith('com.redhat.')));
    dc.spec.template.metadata.labels = { ...labels, [USER_LABEL]: 'payments' };
    delete dc.spec.template.metadata.annotations?.[MARKER];
    for (const container of dc.spec.template.spec.containers) {
      if (container.env) container.env = container.env.filter((e) => !METRICS_ENV.includes(e.name));
      if (container.ports) container.ports = container.ports.filter((p) => p.name !== 'metrics');
    }
  }
  return body;
}

describe('operator: upgrade from a previous operator version', function () {
  this.timeout(120_000);
  const suite = operatorSuite({ prefix: 'upgrade', start: false });
  let admin: KubeClient;
  let namespace: string;
  before(() => {
    ({ admin, namespace } = suite);
  });

  it('2.8 → 2.9: adopts every object without recreating it, runs the §5 steps (tags, triggers, labels, metrics), then rolls the Redis consumers only through the marker', async () => {
    const document = { apiVersion: APIM, kind: 'APIManager', metadata: { name: 'example' }, spec: { wildcardDomain: 'example.test' } };
    const cr = await admin.create<KubeObject>({
      ...document,
      metadata: {
        name: 'example',
        namespace,
        annotations: { 'apps.3scale.net/threescale-operator-version': '0.5.0', 'apps.3scale.net/apimanager-threescale-version': '2.8' },
      },
    });
    const outcome = renderDocument(document, { flavour: 'openshift', env: {} });
    assert.ok(outcome.ok);
    const owner = {
      apiVersion: APIM,
      kind: 'APIManager',
      name: 'example',
      uid: cr.metadata.uid!,
      controller: true,
      blockOwnerDeletion: true,
    };
    const uids = new Map<string, string>();
    // The previous installation's Redis is a real server the operator can validate (the in-cluster service
    // names would not resolve from the test machine).
    const redis = await startRedis();
    const redisValues: Partial<Record<string, Record<string, string>>> = {
      'backend-redis': { REDIS_STORAGE_URL: `redis://127.0.0.1:${redis.port}/0`, REDIS_QUEUES_URL: `redis://127.0.0.1:${redis.port}/1` },
      'system-redis': { URL: `redis://127.0.0.1:${redis.port}/2` },
    };
    // What the previous operator left: its objects with its owner reference, no Redis marker on pod templates.
    for (const { object, ownerReference } of outcome.result.objects) {
      const body = asLeftByPreviousOperator(object);
      body.metadata = { ...body.metadata, namespace, ...(ownerReference ? { ownerReferences: [owner] } : {}) };
      if (body.kind === 'Secret' && redisValues[body.metadata.name])
        body.stringData = { ...(body.stringData as Record<string, string>), ...redisValues[body.metadata.name] };
      const created = await admin.create(body);
      uids.set(`${object.kind}/${object.metadata.name}`, created.metadata.uid!);
    }
    await suite.start();
    await eventually(
      'CR stamped with our version',
      async () =>
        (await admin.get<KubeObject>(APIM, 'APIManager', namespace, 'example')).metadata.annotations?.[
          'apps.3scale.net/threescale-operator-version'
        ] === OPERATOR_VERSION,
      30_000,
      300,
    );
    await eventually(
      'first consumer rolled through the marker',
      async () => {
        const dc = await admin.get<KubeObject & { spec: { template: { metadata?: { annotations?: Record<string, string> } } } }>(
          'apps.openshift.io/v1',
          'DeploymentConfig',
          namespace,
          'backend-listener',
        );
        return dc.spec.template.metadata?.annotations?.[MARKER] !== undefined;
      },
      30_000,
      300,
    );
    for (const [key, uid] of uids) {
      const [kind, name] = key.split('/') as [string, string];
      const object: KubeObject = outcome.result.objects.find((d) => d.object.kind === kind && d.object.metadata.name === name)!.object;
      const live: KubeObject = await admin.get<KubeObject>(object.apiVersion, kind, namespace, name);
      assert.equal(live.metadata.uid, uid, `${key} kept, not recreated`);
    }

    // Step 1: the 2.9 tag added, the operator's `latest` alias deleted, the user's own tag kept; triggers on :2.9.
    for (const stream of (await admin.list<Stream>('image.openshift.io/v1', 'ImageStream', namespace)).items) {
      const names = stream.spec.tags.map((t) => t.name);
      assert.ok(names.includes('2.9') && !names.includes('latest'), `${stream.metadata.name} tags: ${names.join(',')}`);
      if (stream.metadata.name === 'amp-backend') assert.ok(names.includes('mine'), 'a user-created tag is never removed');
    }
    const desiredDcs = outcome.result.objects.filter((d) => d.object.kind === 'DeploymentConfig').map((d) => d.object as Dc);
    const liveDcs = new Map(
      (await admin.list<Dc>('apps.openshift.io/v1', 'DeploymentConfig', namespace)).items.map((d) => [d.metadata.name, d]),
    );
    for (const desired of desiredDcs) {
      const live = liveDcs.get(desired.metadata.name)!;
      for (const trigger of live.spec.triggers)
        if (trigger.imageChangeParams) assert.match(trigger.imageChangeParams.from.name, /:2\.9$/, `${live.metadata.name} trigger`);
      // Step 3: desired pod labels merged in, the user's label kept.
      for (const [key, value] of Object.entries(desired.spec.template.metadata.labels))
        assert.equal(live.spec.template.metadata.labels[key], value, `${live.metadata.name} label ${key}`);
      assert.equal(live.spec.template.metadata.labels[USER_LABEL], 'payments');
      // Step 4: metrics env entries and the metrics port, where the desired object has them.
      for (const container of desired.spec.template.spec.containers) {
        const liveContainer = live.spec.template.spec.containers.find((c) => c.name === container.name)!;
        for (const entry of (container.env ?? []).filter((e) => METRICS_ENV.includes(e.name)))
          assert.deepEqual(
            liveContainer.env?.find((e) => e.name === entry.name),
            entry,
            `${live.metadata.name}/${container.name} env ${entry.name}`,
          );
        const port = container.ports?.find((p) => p.name === 'metrics');
        if (port)
          assert.equal(
            liveContainer.ports?.find((p) => p.name === 'metrics')?.containerPort,
            port.containerPort,
            `${live.metadata.name}/${container.name} metrics port`,
          );
      }
    }
    const listener = liveDcs.get('backend-listener')!.spec.template.spec.containers[0];
    assert.deepEqual(
      [
        listener.env?.find((e) => e.name === 'CONFIG_LISTENER_PROMETHEUS_METRICS_PORT')?.value,
        listener.ports?.find((p) => p.name === 'metrics')?.containerPort,
      ],
      ['9394', 9394],
    );
    assert.equal(
      liveDcs.get('apicast-production')!.spec.template.spec.containers[0].env?.find((e) => e.name === 'APICAST_EXTENDED_METRICS')?.value,
      'true',
    );
    const worker = await admin.get<KubeObject & { spec: { template: { metadata?: { annotations?: Record<string, string> } } } }>(
      'apps.openshift.io/v1',
      'DeploymentConfig',
      namespace,
      'backend-worker',
    );
    assert.equal(worker.spec.template.metadata?.annotations?.[MARKER], undefined, 'the next consumer waits for the first rollout');
  });
});
