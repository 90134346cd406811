// One reconcile pass of an APIcast CR (operator.md §7.2, ours): validate the referenced secrets (read-only, never
// adopted), build Deployment/Service/Ingress with the secrets' resourceVersions in the pod annotations (a secret
// edit rolls the pods), apply, status.
import type { KubeObject } from '../desired.js';
import { semanticEqual } from '../apply/equality.js';
import { setConditions, type Condition, type ConditionInput } from '../status/conditions.js';
import { workloadAvailable } from '../status/workload-readiness.js';
import { CONFLICT_RECHECK_MS, ownershipConflictConditions, ownershipConflictMessage } from '../status/ownership-conflict.js';
import { controllerReference, decodeSecretData, type ReconcileContext, type ReconcileResult } from './context.js';
import type { ApicastPlanner } from './apicast-planner.js';

export const APICAST = { apiVersion: 'apps.3scale.net/v1alpha1', kind: 'APIcast' } as const;

interface ApicastStatus {
  image?: string;
  conditions?: Condition[];
  observedGeneration?: number;
}

export async function reconcileApicast(
  ctx: ReconcileContext,
  planner: ApicastPlanner,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  const cr = ctx.informers.get(APICAST.apiVersion, APICAST.kind, namespace, name);
  if (!cr || cr.metadata.deletionTimestamp) return {};
  // Referenced secrets are the user's: read from the cache, validated by the planner, never written.
  const lookup = (secretName: string) => {
    const secret = ctx.informers.get('v1', 'Secret', namespace, secretName);
    return secret ? { data: decodeSecretData(secret), resourceVersion: secret.metadata.resourceVersion ?? '' } : undefined;
  };
  const outcome = planner(cr, lookup, ctx.env);
  if (!outcome.ok) {
    // Nothing already running is touched; a secret edit or a CR edit re-triggers the pass.
    const message = outcome.errors.map((e) => `${e.path}: ${e.reason}`).join('; ');
    await writeStatus(
      ctx,
      cr,
      undefined,
      [
        { type: 'Degraded', status: 'True', reason: 'InvalidSpec', message },
        {
          type: 'Progressing',
          status: 'False',
          reason: 'InvalidSpec',
          message: 'reconcile stopped until the spec or its secrets are fixed',
        },
      ],
      message,
    );
    return {};
  }
  const options = { namespace, owner: controllerReference(cr, false), involved: cr, served: ctx.served };
  // Objects another CR controls: write nothing, say whose they are (rechecked every minute).
  const conflicts = await ctx.applier.conflicts(outcome.result.objects, options);
  if (conflicts.length > 0) {
    await writeStatus(ctx, cr, undefined, ownershipConflictConditions(conflicts), ownershipConflictMessage(conflicts), 'OwnershipConflict');
    return { requeueAfterMs: CONFLICT_RECHECK_MS };
  }
  const applied = await ctx.applier.apply(outcome.result.objects, options);
  await ctx.applier.deleteAbsent(outcome.result.absent, options, applied);

  const deployment = ctx.informers.get('apps/v1', 'Deployment', namespace, `apicast-${name}`);
  const available = deployment !== undefined && workloadAvailable(deployment);
  const containers =
    (deployment?.spec as { template?: { spec?: { containers?: { image?: string }[] } } } | undefined)?.template?.spec?.containers ?? [];
  const warningMessage = outcome.warnings
    .map((w) => `${w.path}: ${w.reason}`)
    .join('; ')
    .slice(0, 1000);
  await writeStatus(ctx, cr, containers[0]?.image, [
    available
      ? { type: 'Available', status: 'True', reason: 'DeploymentAvailable', message: 'APIcast is ready' }
      : { type: 'Available', status: 'False', reason: 'DeploymentNotReady', message: `deployment apicast-${name} is not available` },
    // apicast-operator's condition names: Ready (the Deployment is available) and Warning (ignored input).
    available
      ? { type: 'Ready', status: 'True', reason: 'DeploymentAvailable', message: 'APIcast is ready' }
      : { type: 'Ready', status: 'False', reason: 'DeploymentNotReady', message: `deployment apicast-${name} is not available` },
    warningMessage === ''
      ? { type: 'Warning', status: 'False', reason: 'NoWarnings', message: '' }
      : { type: 'Warning', status: 'True', reason: 'IgnoredFields', message: warningMessage },
    { type: 'Progressing', status: available ? 'False' : 'True', reason: available ? 'Reconciled' : 'Deploying', message: '' },
    { type: 'Degraded', status: 'False', reason: 'AsExpected', message: '' },
  ]);
  return available ? {} : { requeueAfterMs: 15_000 };
}

async function writeStatus(
  ctx: ReconcileContext,
  cr: KubeObject,
  image: string | undefined,
  inputs: ConditionInput[],
  failure?: string,
  failureReason = 'InvalidSpec',
): Promise<void> {
  const current = (cr.status as ApicastStatus | undefined) ?? {};
  const status: ApicastStatus = {
    ...current,
    ...(image ? { image } : {}),
    conditions: setConditions(current.conditions, inputs, cr.metadata.generation),
    observedGeneration: cr.metadata.generation,
  };
  if (semanticEqual(status, current)) return;
  await ctx.client.updateStatus({ ...cr, status });
  if (failure) await ctx.recorder.record(cr, 'Warning', failureReason, failure);
}
