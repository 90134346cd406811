// kubernetes flavour: system-app's DeploymentConfig hooks as Jobs (operator.md §9). The pre-hook Job for the
// workload's desired template must have completed before the Deployment is created or its pod template changed;
// the post-hook Job runs once that rollout is complete. A Job is immutable, so one left from an older template
// (annotation `apps.3scale.net/workload-template-hash`) is deleted and re-created. Decisions are pure; the
// reconciler performs them.
import type { DesiredObject, KubeObject } from '../desired.js';

export const HOOK_HASH_ANNOTATION = 'apps.3scale.net/workload-template-hash';

export type HookAction = { kind: 'create'; job: DesiredObject } | { kind: 'delete'; name: string; reason: string };

export interface HookDecision {
  actions: HookAction[];
  /** Workloads whose create/update must wait this pass (pre hook not complete for their new template). */
  gated: Set<string>;
  /** Human-readable waits/failures, for status. */
  waiting: string[];
  /** Hook Jobs of the current template that failed: the reconciler reports them as `Degraded`. */
  failures: HookFailure[];
}

export interface HookFailure {
  job: string;
  workload: string;
  phase: 'pre' | 'post';
  reason: string;
}

const hashOf = (object: KubeObject | DesiredObject['object'] | undefined): string | undefined =>
  object?.metadata.annotations?.[HOOK_HASH_ANNOTATION];
const succeeded = (job: KubeObject | undefined): boolean => ((job?.status as { succeeded?: number } | undefined)?.succeeded ?? 0) >= 1;
type JobCondition = { type: string; status: string; reason?: string; message?: string };
const failedCondition = (job: KubeObject | undefined): JobCondition | undefined =>
  ((job?.status as { conditions?: JobCondition[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Failed' && c.status === 'True');
/** The Job controller's Failed reason and message (e.g. BackoffLimitExceeded), for status. */
const failureReason = (condition: JobCondition): string => [condition.reason, condition.message].filter((p) => p).join(': ') || 'Failed';

export interface HookInput {
  hooks: DesiredObject[];
  liveJob: (name: string) => KubeObject | undefined;
  /** True when applying the workload now would create it or change its pod template. */
  templateWouldChange: (workload: string) => boolean;
  /** True when the live workload's latest version is fully rolled out. */
  rolledOut: (workload: string) => boolean;
}

export function decideHooks(input: HookInput): HookDecision {
  const decision: HookDecision = { actions: [], gated: new Set(), waiting: [], failures: [] };
  for (const hook of input.hooks) {
    if (hook.reconcile.mode !== 'hook-job') continue;
    const { phase, workload } = hook.reconcile;
    const name = hook.object.metadata.name;
    const live = input.liveJob(name);
    const wanted = hashOf(hook.object);
    if (live?.metadata.deletionTimestamp) {
      if (phase === 'pre') decision.gated.add(workload);
      continue; // an old Job is being removed: the next pass creates the new one
    }
    if (phase === 'pre') {
      if (!input.templateWouldChange(workload)) continue;
      decision.gated.add(workload);
      if (!live) {
        decision.actions.push({ kind: 'create', job: hook });
        decision.waiting.push(`${name} created for ${workload}`);
        continue;
      }
      if (hashOf(live) !== wanted) {
        decision.actions.push({ kind: 'delete', name, reason: 'ran for an older template' });
        continue;
      }
      if (succeeded(live)) {
        decision.gated.delete(workload);
        continue;
      }
      const failure = failedCondition(live);
      // A failed pre hook stays gated: the workload keeps its current template until the Job is fixed or the
      // template changes again (new hash → new Job).
      if (failure) decision.failures.push({ job: name, workload, phase, reason: failureReason(failure) });
      decision.waiting.push(
        failure ? `${name} failed: ${workload} keeps its current template` : `waiting for ${name} to complete before updating ${workload}`,
      );
      continue;
    }
    // post: after the rollout of the template the pre hook ran for
    const pre = input.hooks.find(
      (h) => h.reconcile.mode === 'hook-job' && h.reconcile.phase === 'pre' && h.reconcile.workload === workload,
    );
    const preLive = pre ? input.liveJob(pre.object.metadata.name) : undefined;
    const preDoneForThisTemplate = !pre || (succeeded(preLive) && hashOf(preLive) === hashOf(pre.object));
    if (!preDoneForThisTemplate || input.templateWouldChange(workload) || !input.rolledOut(workload)) continue;
    if (!live) decision.actions.push({ kind: 'create', job: hook });
    else if (hashOf(live) !== wanted) decision.actions.push({ kind: 'delete', name, reason: 'ran for an older template' });
    else {
      const failure = failedCondition(live);
      if (failure) decision.failures.push({ job: name, workload, phase, reason: failureReason(failure) });
    }
  }
  return decision;
}
