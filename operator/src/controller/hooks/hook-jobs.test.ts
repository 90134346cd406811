import assert from 'node:assert/strict';
import type { DesiredObject, KubeObject } from '../desired.js';
import { decideHooks, HOOK_HASH_ANNOTATION } from './hook-jobs.js';

const job = (phase: 'pre' | 'post', hash: string): DesiredObject => ({
  object: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: `system-app-${phase}`, annotations: { [HOOK_HASH_ANNOTATION]: hash } } },
  reconcile: { mode: 'hook-job', phase, workload: 'system-app' },
  ownerReference: true,
});
const live = (phase: 'pre' | 'post', hash: string, done: boolean): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: `system-app-${phase}`, annotations: { [HOOK_HASH_ANNOTATION]: hash } },
  status: done ? { succeeded: 1 } : {},
});

describe('kubernetes flavour: hook Jobs (operator.md §9)', () => {
  const hooks = [job('pre', 'h2'), job('post', 'h2')];
  it('creates the pre Job and holds the workload until it completes', () => {
    const d = decideHooks({ hooks, liveJob: () => undefined, templateWouldChange: () => true, rolledOut: () => false });
    assert.deepEqual(
      d.actions.map((a) => a.kind),
      ['create'],
    );
    assert.ok(d.gated.has('system-app'));
    const running = decideHooks({
      hooks,
      liveJob: (n) => (n === 'system-app-pre' ? live('pre', 'h2', false) : undefined),
      templateWouldChange: () => true,
      rolledOut: () => false,
    });
    assert.ok(running.gated.has('system-app'));
    assert.match(running.waiting[0], /waiting for system-app-pre/);
  });
  it('re-runs a pre Job that ran for an older template, then lets the workload change', () => {
    const old = decideHooks({
      hooks,
      liveJob: (n) => (n === 'system-app-pre' ? live('pre', 'h1', true) : undefined),
      templateWouldChange: () => true,
      rolledOut: () => true,
    });
    assert.deepEqual(old.actions, [{ kind: 'delete', name: 'system-app-pre', reason: 'ran for an older template' }]);
    const done = decideHooks({
      hooks,
      liveJob: (n) => (n === 'system-app-pre' ? live('pre', 'h2', true) : undefined),
      templateWouldChange: () => true,
      rolledOut: () => false,
    });
    assert.equal(done.gated.size, 0);
  });
  it('runs the post Job only after the rollout of the template the pre Job ran for', () => {
    const jobs = (n: string) => (n === 'system-app-pre' ? live('pre', 'h2', true) : undefined);
    assert.deepEqual(decideHooks({ hooks, liveJob: jobs, templateWouldChange: () => false, rolledOut: () => false }).actions, []);
    assert.deepEqual(
      decideHooks({ hooks, liveJob: jobs, templateWouldChange: () => false, rolledOut: () => true }).actions.map((a) => a.kind),
      ['create'],
    );
  });
  it('does nothing when the workload template does not change', () => {
    const d = decideHooks({
      hooks,
      liveJob: (n) => live(n.endsWith('pre') ? 'pre' : 'post', 'h1', true),
      templateWouldChange: () => false,
      rolledOut: () => true,
    });
    assert.deepEqual(d.actions, [], 'hooks belong to template changes: none, none run');
  });
  it('reports a failed pre Job (keeping the workload held) and a failed post Job, naming the Job and the reason', () => {
    const failedJob = (phase: 'pre' | 'post'): KubeObject => ({
      ...live(phase, 'h2', false),
      status: {
        failed: 7,
        conditions: [
          { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
        ],
      },
    });
    const pre = decideHooks({
      hooks,
      liveJob: (n) => (n === 'system-app-pre' ? failedJob('pre') : undefined),
      templateWouldChange: () => true,
      rolledOut: () => true,
    });
    assert.ok(pre.gated.has('system-app'), 'the rollout does not proceed past a failed pre hook');
    assert.deepEqual(pre.actions, []);
    assert.deepEqual(pre.failures, [
      {
        job: 'system-app-pre',
        workload: 'system-app',
        phase: 'pre',
        reason: 'BackoffLimitExceeded: Job has reached the specified backoff limit',
      },
    ]);
    const post = decideHooks({
      hooks,
      liveJob: (n) => (n === 'system-app-pre' ? live('pre', 'h2', true) : failedJob('post')),
      templateWouldChange: () => false,
      rolledOut: () => true,
    });
    assert.deepEqual(
      post.failures.map((f) => f.job),
      ['system-app-post'],
    );
    assert.deepEqual(post.actions, [], 'a failed post Job is reported, not re-run in a loop');
  });
});
