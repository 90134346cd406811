import assert from 'node:assert/strict';
import type { DesiredObject } from '../desired.js';
import type { KubeObject } from '../desired.js';
import { controlledByAnother, planWrite } from './plan-write.js';
import { parsePath } from './paths.js';
import { desiredSatisfied, semanticEqual } from './equality.js';

const owner = {
  apiVersion: 'apps.3scale.net/v1alpha1',
  kind: 'APIManager',
  name: 'x',
  uid: 'uid-1',
  controller: true,
  blockOwnerDeletion: true,
};
const ctx = { namespace: 'ns', owner };

function dc(replicas: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps.openshift.io/v1',
    kind: 'DeploymentConfig',
    metadata: { name: 'backend-listener', labels: { app: '3scale' } },
    spec: {
      replicas,
      template: {
        metadata: { annotations: { 'apps.3scale.net/redis-config-hash': 'new' } },
        spec: { containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: '1' } }, env: [{ name: 'A', value: '1' }] }] },
      },
      ...extra,
    },
  };
}
const fields: DesiredObject['reconcile'] = {
  mode: 'fields',
  paths: [
    'spec.replicas',
    'spec.template.spec.containers[*].resources',
    'spec.template.metadata.annotations.apps\\.3scale\\.net/redis-config-hash',
  ],
};

describe('controller apply: planWrite (operator.md §2.4)', () => {
  it('creates a missing object with namespace and owner reference, PVCs without one', () => {
    const plan = planWrite({ object: dc(1), reconcile: fields, ownerReference: true }, undefined, ctx);
    assert.equal(plan.action, 'create');
    assert.equal(plan.body.metadata.namespace, 'ns');
    assert.deepEqual(plan.body.metadata.ownerReferences, [owner]);
    const pvc = planWrite(
      {
        object: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p' } },
        reconcile: { mode: 'create-only' },
        ownerReference: false,
      },
      undefined,
      ctx,
    );
    assert.equal(pvc.action === 'create' && pvc.body.metadata.ownerReferences, undefined);
  });

  it('tells an object another CR controls from ours, an ownerless one and one with only a non-controller owner', () => {
    const withRefs = (refs: object[]): KubeObject => ({ ...dc(1), metadata: { name: 'backend-listener', ownerReferences: refs as never } });
    const other = { ...owner, name: 'first', uid: 'uid-0' };
    assert.deepEqual(controlledByAnother(withRefs([other]), 'uid-1'), other);
    assert.equal(controlledByAnother(withRefs([owner]), 'uid-1'), undefined);
    assert.equal(controlledByAnother(withRefs([]), 'uid-1'), undefined);
    assert.equal(controlledByAnother(withRefs([{ ...other, controller: false }]), 'uid-1'), undefined);
  });

  it('updates only the reconciled paths and keeps everything else of the live object', () => {
    const live = dc(3);
    (live.spec as { template: { spec: { containers: { env: unknown[] }[] } } }).template.spec.containers[0].env.push({
      name: 'USER',
      value: 'x',
    });
    live.metadata.labels = { app: '3scale', team: 'mine' };
    live.metadata.ownerReferences = [owner];
    const plan = planWrite({ object: dc(1), reconcile: fields, ownerReference: true }, live, ctx);
    assert.equal(plan.action, 'update');
    assert.deepEqual(plan.changed, ['spec.replicas']);
    const spec = plan.body.spec as { replicas: number; template: { spec: { containers: { env: unknown[] }[] } } };
    assert.equal(spec.replicas, 1);
    assert.equal(spec.template.spec.containers[0].env.length, 2, 'env is not reconciled');
    assert.equal(plan.body.metadata.labels?.team, 'mine');
  });

  it('is a no-op when the live object already matches, whatever the server defaulted or canonicalised', () => {
    const live = dc(1);
    const container = (live.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0];
    container.resources = { limits: { cpu: '1000m' } };
    container.terminationMessagePath = '/dev/termination-log';
    live.metadata.ownerReferences = [owner];
    assert.deepEqual(planWrite({ object: dc(1), reconcile: fields, ownerReference: true }, live, ctx), { action: 'none' });
  });

  it('leaves deferred paths (the Redis marker) to the migration', () => {
    const live = dc(1);
    (live.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations[
      'apps.3scale.net/redis-config-hash'
    ] = 'old';
    const deferred = new Set(['spec.template.metadata.annotations.apps\\.3scale\\.net/redis-config-hash']);
    assert.deepEqual(planWrite({ object: dc(1), reconcile: fields, ownerReference: true }, live, { ...ctx, deferredPaths: deferred }), {
      action: 'none',
    });
    assert.equal(planWrite({ object: dc(1), reconcile: fields, ownerReference: true }, live, ctx).action, 'update');
  });

  it('adds missing keys to an operator-created secret, never changes a value, never writes a user secret', () => {
    const desired: DesiredObject = {
      object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { A: 'default', B: 'b' } },
      reconcile: { mode: 'secret-add-missing-keys' },
      ownerReference: true,
    };
    const live: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', ownerReferences: [owner] },
      data: { A: Buffer.from('mine').toString('base64') },
    };
    const plan = planWrite(desired, live, ctx);
    assert.equal(plan.action, 'update');
    const data = plan.body.data as Record<string, string>;
    assert.equal(Buffer.from(data.A, 'base64').toString(), 'mine');
    assert.equal(Buffer.from(data.B, 'base64').toString(), 'b');
    const userSecret = { ...live, metadata: { name: 's' } };
    assert.deepEqual(planWrite(desired, userSecret, ctx), { action: 'none' });
  });

  it('syncs image stream tags: adds missing ones, keeps extra ones', () => {
    const tag = (name: string, image: string) => ({ name, from: { kind: 'DockerImage', name: image }, importPolicy: { insecure: false } });
    const desired: DesiredObject = {
      object: {
        apiVersion: 'image.openshift.io/v1',
        kind: 'ImageStream',
        metadata: { name: 'amp-backend' },
        spec: { tags: [tag('2.9', 'new')] },
      },
      reconcile: { mode: 'imagestream-tags' },
      ownerReference: true,
    };
    const live: KubeObject = {
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: { name: 'amp-backend', ownerReferences: [owner] },
      spec: { tags: [tag('latest', 'old'), tag('2.9', 'old')] },
    };
    const plan = planWrite(desired, live, ctx);
    const tags = plan.action === 'update' ? (plan.body.spec as { tags: { name: string; from: { name: string } }[] }).tags : [];
    assert.deepEqual(
      tags.map((t) => `${t.name}=${t.from.name}`),
      ['latest=old', '2.9=new'],
    );
  });
});

describe('controller apply: paths and equality', () => {
  it('parses escaped dots, [*] and [N]', () => {
    assert.deepEqual(parsePath('a.b\\.c/d.e[*].f[0]'), [
      { key: 'a', each: false },
      { key: 'b.c/d', each: false },
      { key: 'e', each: true },
      { key: 'f', each: false, index: 0 },
    ]);
  });
  it('compares quantities by value and ignores server defaults only when checking the desired subset', () => {
    assert.ok(semanticEqual('0.5', '500m'));
    assert.ok(semanticEqual('1Gi', '1024Mi'));
    assert.ok(!semanticEqual('250M', '250Mi'));
    assert.ok(desiredSatisfied({ secretName: 's' }, { secretName: 's', defaultMode: 420 }));
    assert.ok(!desiredSatisfied({ secretName: 's', defaultMode: 256 }, { secretName: 's', defaultMode: 420 }));
    assert.ok(!desiredSatisfied(undefined, { nodeAffinity: {}, podAffinity: { x: 1 } }));
  });
});
