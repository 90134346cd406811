// One reconcile pass of a capabilities CR, whatever its kind: credentials, finalizer, the kind's sync, then the
// status (conditions, ids, drift), one Event per 3scale write. Writes status only when it changed.
import type { KubeObject } from '../../controller/desired.js';
import type { ReconcileResult } from '../../controller/reconcilers/context.js';
import { decodeSecretData } from '../../controller/reconcilers/context.js';
import { semanticEqual } from '../../controller/apply/equality.js';
import { setConditions, findCondition, type Condition } from '../../controller/status/conditions.js';
import { KubeApiError } from '../../controller/kube/errors.js';
import { CAPABILITY_KINDS, apiVersionOf, type CapabilityKindName } from '../api/kinds.js';
import { providerAccess, providerSecretName } from '../credentials/provider-account.js';
import type { CapabilityObject, CapabilityReconciler, SyncEnv } from '../sync/env.js';
import { WriteLog, type Write } from '../sync/writes.js';
import { capabilityConditions, type PassOutcome } from './conditions.js';
import { describeFailure } from './failure.js';
import type { CapabilitiesContext } from './context.js';

export const FINALIZER = 'capabilities.3scale.net/delete-in-3scale';
const MAX_WRITE_EVENTS = 10;

interface CommonStatus {
  conditions?: Condition[];
  observedGeneration?: number;
  providerAccountHost?: string;
  driftCorrections?: number;
  [field: string]: unknown;
}
type AnyReconciler = CapabilityReconciler<Record<string, unknown>, Record<string, unknown>>;

export async function reconcileCapability(
  ctx: CapabilitiesContext,
  reconciler: AnyReconciler,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  const kind = reconciler.kind as CapabilityKindName;
  const apiVersion = apiVersionOf(kind);
  const cached = ctx.informers.get(apiVersion, kind, namespace, name) as CapabilityObject | undefined;
  if (!cached) return {};
  let cr: CapabilityObject<Record<string, unknown>, CommonStatus> = structuredClone(cached);

  const secretName = providerSecretName(cr.spec);
  const secret = (n: string, ns = namespace) => {
    const s = ctx.informers.get('v1', 'Secret', ns, n);
    return s ? decodeSecretData(s) : undefined;
  };
  const credentials = reconciler.credentials
    ? reconciler.credentials(cr, secret)
    : providerAccess(secretName, secret(secretName), cr.metadata.annotations);
  const deleting = cr.metadata.deletionTimestamp !== undefined;
  const finalizers = (cr.metadata as { finalizers?: string[] }).finalizers ?? [];

  if (deleting) {
    if (!finalizers.includes(FINALIZER)) return {};
    if (credentials.ok && reconciler.cleanup) {
      const writes = new WriteLog();
      try {
        await reconciler.cleanup({ ...baseEnv(ctx, cr, namespace, secret), client: ctx.clients.get(credentials.access), writes });
      } catch (error) {
        const failure = describeFailure(error);
        await writeStatus(ctx, cr, {}, { kind: 'failed', reason: failure.reason, message: `deleting in 3scale: ${failure.message}` }, 0);
        throw error;
      }
      await recordWrites(ctx, cr, writes.writes);
    }
    // Without credentials nothing can be deleted in 3scale; the CR goes, the 3scale object stays (said in an Event).
    if (!credentials.ok)
      await ctx.recorder.record(cr, 'Warning', 'NotDeletedIn3scale', `${credentials.error.reason}: the 3scale object was left in place`);
    await ctx.kube.mergePatch(apiVersion, kind, namespace, name, {
      metadata: { resourceVersion: cr.metadata.resourceVersion, finalizers: finalizers.filter((f) => f !== FINALIZER) },
    });
    return {};
  }

  if (!credentials.ok) {
    await writeStatus(ctx, cr, {}, { kind: 'invalid', message: `${credentials.error.path}: ${credentials.error.reason}` }, 0);
    return {};
  }
  const client = ctx.clients.get(credentials.access);
  if (reconciler.cleanup && !finalizers.includes(FINALIZER)) {
    cr = await ctx.kube.mergePatch(apiVersion, kind, namespace, name, {
      metadata: { resourceVersion: cr.metadata.resourceVersion, finalizers: [...finalizers, FINALIZER] },
    });
  }

  const previous = structuredClone(cr.status ?? {});
  const writes = new WriteLog();
  const env: SyncEnv<Record<string, unknown>, Record<string, unknown>> = {
    ...baseEnv(ctx, cr, namespace, secret),
    client,
    writes,
    saveStatus: async (fields) => {
      const status = { ...(cr.status ?? {}), ...fields, providerAccountHost: client.host };
      if (semanticEqual(status, cr.status ?? {})) return;
      cr = await patchStatus(ctx, cr, status);
    },
  };
  let outcome: PassOutcome;
  let fields: Record<string, unknown> = {};
  let failure: unknown;
  let deleteCr = false;
  try {
    const result = await reconciler.sync(env);
    if (result.outcome === 'invalid')
      outcome = { kind: 'invalid', message: result.problems.map((p) => `${p.path}: ${p.reason}`).join('; ') };
    else if (result.outcome === 'orphan') outcome = { kind: 'orphan', reason: result.reason, message: result.message };
    else {
      outcome = { kind: 'synced', ...('message' in result && result.message ? { message: result.message } : {}) };
      fields = result.status;
      deleteCr = result.outcome === 'done-delete';
    }
  } catch (error) {
    failure = error;
    const report = describeFailure(error);
    outcome = { kind: 'failed', reason: report.reason, message: report.message };
    if (!report.retry) failure = undefined;
  }

  const drift = driftOf(previous, cr, writes.writes, outcome);
  if (drift.length > 0) {
    ctx.metrics.driftCorrections.inc({ kind }, drift.length);
    await ctx.recorder.record(
      cr,
      'Warning',
      'DriftCorrected',
      `put back ${drift.length} change(s) made in 3scale outside this CR: ${drift.map((w) => WriteLog.describe(w)).join('; ')}`,
    );
  }
  await recordWrites(ctx, cr, writes.writes);
  cr = await writeStatus(ctx, cr, { ...fields, providerAccountHost: client.host }, outcome, drift.length);
  // The sync's own error, caught above and rethrown as it was once the status is written.
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- a rethrow of the caught value, held across the status write
  if (failure !== undefined) throw failure;
  if (deleteCr) {
    await ctx.kube.delete(apiVersion, kind, namespace, name).catch((error: unknown) => {
      if (!(error instanceof KubeApiError && error.status === 404)) throw error;
    });
    return {};
  }
  return { requeueAfterMs: ctx.resyncMs };
}

function baseEnv(
  ctx: CapabilitiesContext,
  cr: CapabilityObject,
  namespace: string,
  secret: (n: string, ns?: string) => Readonly<Partial<Record<string, string>>> | undefined,
) {
  return {
    cr,
    kube: ctx.kube,
    secret,
    configMap: (n: string) => (ctx.informers.get('v1', 'ConfigMap', namespace, n) as { data?: Record<string, string> } | undefined)?.data,
    find: <S, T>(kind: string, n: string) =>
      ctx.informers.get(apiVersionOf(kind as CapabilityKindName), kind, namespace, n) as CapabilityObject<S, T> | undefined,
    list: <S, T>(kind: string) => ctx.informers.list<CapabilityObject<S, T>>(apiVersionOf(kind as CapabilityKindName), kind, namespace),
  } satisfies Omit<SyncEnv<unknown, unknown>, 'client' | 'writes' | 'saveStatus'>;
}

/** Writes made while the spec stayed what it was at the last successful pass put back someone else's change. */
function driftOf(previous: CommonStatus, cr: CapabilityObject<unknown, CommonStatus>, writes: Write[], outcome: PassOutcome): Write[] {
  if (outcome.kind !== 'synced') return [];
  const wasSynced = findCondition(previous.conditions, 'Synced')?.status === 'True';
  if (!wasSynced || previous.observedGeneration !== cr.metadata.generation) return [];
  return writes.filter((w) => w.verb !== 'deployed' && w.verb !== 'promoted' && w.verb !== 'adopted');
}

async function recordWrites(ctx: CapabilitiesContext, cr: KubeObject, writes: Write[]): Promise<void> {
  for (const write of writes.slice(0, MAX_WRITE_EVENTS)) {
    await ctx.recorder.record(cr, 'Normal', eventReason(write), WriteLog.describe(write));
  }
  if (writes.length > MAX_WRITE_EVENTS) {
    await ctx.recorder.record(
      cr,
      'Normal',
      'Synced',
      `and ${writes.length - MAX_WRITE_EVENTS} more writes to 3scale: ${writes
        .slice(MAX_WRITE_EVENTS)
        .map((w) => WriteLog.describe(w))
        .join('; ')}`,
    );
  }
}

const eventReason = (write: Write): string => `${write.verb[0].toUpperCase()}${write.verb.slice(1)}In3scale`;

async function writeStatus(
  ctx: CapabilitiesContext,
  cr: CapabilityObject<unknown, CommonStatus>,
  fields: Record<string, unknown>,
  outcome: PassOutcome,
  drift: number,
): Promise<CapabilityObject<Record<string, unknown>, CommonStatus>> {
  const current = cr.status ?? {};
  const status: CommonStatus = {
    ...current,
    ...fields,
    conditions: setConditions(current.conditions, capabilityConditions(outcome), cr.metadata.generation),
    observedGeneration: cr.metadata.generation,
    ...(drift > 0 || current.driftCorrections !== undefined ? { driftCorrections: (current.driftCorrections ?? 0) + drift } : {}),
  };
  if (semanticEqual(status, current)) return cr as CapabilityObject<Record<string, unknown>, CommonStatus>;
  const written = await patchStatus(ctx, cr, status);
  if (outcome.kind === 'invalid' && findCondition(current.conditions, 'Invalid')?.status !== 'True')
    await ctx.recorder.record(cr, 'Warning', 'Invalid', outcome.message);
  if (outcome.kind === 'failed' && findCondition(current.conditions, 'Failed')?.message !== outcome.message)
    await ctx.recorder.record(cr, 'Warning', outcome.reason, outcome.message);
  return written;
}

/**
 * Status is the operator's alone, so it is merge-patched without a resourceVersion: a pass that started from a
 * cache one write behind (its own previous status write) does not fail on a conflict it cannot have.
 */
async function patchStatus<S>(
  ctx: CapabilitiesContext,
  cr: CapabilityObject<unknown, S>,
  status: S,
): Promise<CapabilityObject<Record<string, unknown>, S>> {
  return ctx.kube.mergePatch(cr.apiVersion, cr.kind, cr.metadata.namespace ?? '', cr.metadata.name, { status }, 'status');
}

export const capabilityKindNames = Object.keys(CAPABILITY_KINDS) as CapabilityKindName[];
