import assert from 'node:assert/strict';
import type { KubeObject } from '../desired.js';
import { dropObsoleteImageStreamTags, upgradeWorkload } from './steps.js';

const stream = (tags: unknown[]): KubeObject => ({
  apiVersion: 'image.openshift.io/v1',
  kind: 'ImageStream',
  metadata: { name: 'amp-backend' },
  spec: { tags },
});
const dc = (trigger: string, labels: Record<string, string>, container: Record<string, unknown>): KubeObject => ({
  apiVersion: 'apps.openshift.io/v1',
  kind: 'DeploymentConfig',
  metadata: { name: 'backend-worker' },
  spec: {
    triggers: [
      { type: 'ConfigChange' },
      {
        type: 'ImageChange',
        imageChangeParams: { automatic: true, containerNames: ['backend-worker'], from: { kind: 'ImageStreamTag', name: trigger } },
      },
    ],
    template: { metadata: { labels }, spec: { containers: [{ name: 'backend-worker', ...container }] } },
  },
});

describe('upgrade 2.8 → 2.9 steps (operator.md §5)', () => {
  it("drops only the previous operator's `latest` alias tag", () => {
    const result = dropObsoleteImageStreamTags(
      stream([
        { name: '2.8' },
        { name: '2.9' },
        { name: 'latest', from: { kind: 'ImageStreamTag', name: '2.8' } },
        { name: 'mine', from: { kind: 'ImageStreamTag', name: '2.8' } },
      ]),
    );
    assert.deepEqual(
      (result!.body.spec as { tags: { name: string }[] }).tags.map((t) => t.name),
      ['2.8', '2.9', 'mine'],
    );
    assert.equal(
      dropObsoleteImageStreamTags(stream([{ name: 'latest', from: { kind: 'DockerImage', name: 'x/y:z' } }])),
      undefined,
      'a user-made latest pointing at an image stays',
    );
    assert.equal(dropObsoleteImageStreamTags(result!.body), undefined, 'idempotent');
  });
  it('points the trigger at <is>:2.9, merges pod labels, appends missing metrics env and port, keeps the rest', () => {
    const live = dc('amp-backend:latest', { deploymentConfig: 'backend-worker', team: 'payments' }, { env: [{ name: 'A', value: '1' }] });
    const desired = dc(
      'amp-backend:2.9',
      { deploymentConfig: 'backend-worker', 'com.company': 'Red_Hat' },
      {
        env: [
          { name: 'A', value: 'other' },
          { name: 'CONFIG_WORKER_PROMETHEUS_METRICS_PORT', value: '9421' },
          { name: 'CONFIG_WORKER_PROMETHEUS_METRICS_ENABLED', value: 'true' },
          { name: 'NOT_IN_THE_LIST', value: 'x' },
        ],
        ports: [{ name: 'metrics', containerPort: 9421, protocol: 'TCP' }],
      },
    );
    const result = upgradeWorkload(live, desired)!;
    const spec = result.body.spec as {
      triggers: { imageChangeParams?: { from: { name: string } } }[];
      template: {
        metadata: { labels: Record<string, string> };
        spec: { containers: { env: { name: string; value: string }[]; ports: unknown[] }[] };
      };
    };
    assert.equal(spec.triggers[1].imageChangeParams!.from.name, 'amp-backend:2.9');
    assert.deepEqual(spec.template.metadata.labels, { deploymentConfig: 'backend-worker', team: 'payments', 'com.company': 'Red_Hat' });
    assert.deepEqual(spec.template.spec.containers[0].env, [
      { name: 'A', value: '1' },
      { name: 'CONFIG_WORKER_PROMETHEUS_METRICS_PORT', value: '9421' },
      { name: 'CONFIG_WORKER_PROMETHEUS_METRICS_ENABLED', value: 'true' },
    ]);
    assert.deepEqual(spec.template.spec.containers[0].ports, [{ name: 'metrics', containerPort: 9421, protocol: 'TCP' }]);
    assert.equal(upgradeWorkload(result.body, desired), undefined, 'a second pass changes nothing');
    assert.equal((live.spec as typeof spec).template.spec.containers[0].ports, undefined, 'the input is not mutated');
  });
});
