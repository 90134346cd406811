// The preflight step of an APIManager pass (operator.md §11): the requirements ConfigMap (written here when
// missing or left by another operator version), the release hop, the probes of the external databases, and the
// verdict: hold the pass (status only, recheck in 10 min), confirm (status + annotation, then a fresh pass), or
// proceed with a Preflights condition for the pass's status.
import type { KubeObject } from '../desired.js';
import type { ReconcileContext, ReconcileResult } from '../reconcilers/context.js';
import type { ConditionInput } from '../status/conditions.js';
import type { APIManager } from '../../api/types.js';
import type { EffectiveSecrets } from '../../secrets/resolve.js';
import { OPERATOR_VERSION, THREESCALE_RELEASE } from '../../api/defaults.js';
import { externalOf } from '../../model/apimanager.js';
import { isAlreadyExists } from '../kube/errors.js';
import { decodeSecretData } from '../reconcilers/context.js';
import { findCondition, type Condition } from '../status/conditions.js';
import {
  CONFIRMED_ANNOTATION,
  DEFAULT_REQUIREMENTS,
  RECHECK_MS,
  REQUIREMENTS_CONFIGMAP,
  WRITTEN_BY_ANNOTATION,
  decide,
  decideHop,
  judge,
  needsProbes,
  parseRequirements,
} from './decide.js';
import { observe, probeTargets } from './probe.js';

export const PREFLIGHTS = 'Preflights';
const RELEASE_ANNOTATION = 'apps.3scale.net/apimanager-threescale-version';

export interface PreflightOutcome {
  /** Set: end the pass with this result (the status was written here). */
  stop?: ReconcileResult;
  /** Otherwise: the condition for the pass's status, and a recheck when it is False. */
  condition?: ConditionInput;
  recheckMs?: number;
}

/** The ConfigMap as it is now, created or rewritten when missing or written by another operator version. */
export async function ensureRequirements(ctx: ReconcileContext, namespace: string): Promise<KubeObject> {
  const live = ctx.informers.get('v1', 'ConfigMap', namespace, REQUIREMENTS_CONFIGMAP);
  const metadata = {
    name: REQUIREMENTS_CONFIGMAP,
    namespace,
    labels: { app: '3scale-api-management' },
    annotations: { [WRITTEN_BY_ANNOTATION]: OPERATOR_VERSION },
  };
  if (!live) {
    try {
      return await ctx.client.create<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { ...DEFAULT_REQUIREMENTS } });
    } catch (error) {
      if (isAlreadyExists(error)) return ctx.client.get<KubeObject>('v1', 'ConfigMap', namespace, REQUIREMENTS_CONFIGMAP);
      throw error;
    }
  }
  if (live.metadata.annotations?.[WRITTEN_BY_ANNOTATION] === OPERATOR_VERSION) return live;
  // Another operator version's minima: ours replace them (other keys are kept), so an upgrade is checked anew.
  const next = structuredClone(live);
  next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [WRITTEN_BY_ANNOTATION]: OPERATOR_VERSION };
  next.data = { ...(live.data ?? {}), ...DEFAULT_REQUIREMENTS };
  return ctx.client.update(next);
}

/**
 * `writeStatus` writes the given condition into the CR's status (and an Event when it is False); it is the
 * reconciler's own writer, so the status shape stays one. Never throws for an unreachable server.
 */
export async function runPreflights(
  ctx: ReconcileContext,
  cr: KubeObject,
  effective: EffectiveSecrets,
  writeStatus: (condition: ConditionInput) => Promise<void>,
): Promise<PreflightOutcome> {
  const namespace = cr.metadata.namespace ?? '';
  const annotations = cr.metadata.annotations ?? {};
  const requirements = await ensureRequirements(ctx, namespace);
  const requirementsVersion = requirements.metadata.resourceVersion ?? '';
  const live = (secret: string): Record<string, string> => {
    const object = ctx.informers.get('v1', 'Secret', namespace, secret);
    return object ? decodeSecretData(object) : {};
  };
  const spec = (cr as unknown as APIManager).spec;
  const tlsFlags = {
    backendRedis: spec.backend?.redisTLSEnabled,
    queues: spec.backend?.queuesTLSEnabled,
    systemRedis: spec.system?.redisTLSEnabled,
    systemDatabase: spec.system?.databaseTLSEnabled,
  };
  const targets = probeTargets(
    externalOf(cr as unknown as APIManager),
    (secret) => ({ ...live(secret), ...(effective[secret] ?? {}) }),
    tlsFlags,
  );
  const input = {
    hop: decideHop(annotations[RELEASE_ANNOTATION], THREESCALE_RELEASE),
    confirmed: annotations[CONFIRMED_ANNOTATION],
    requirementsVersion,
    probes: targets.length,
  };
  const verdict = needsProbes(input)
    ? judge(parseRequirements(requirements.data as Record<string, string> | undefined), await observe(targets))
    : undefined;
  const decision = decide(input, verdict);

  if (decision.action === 'hold') {
    const condition: ConditionInput = {
      type: PREFLIGHTS,
      status: 'False',
      reason: decision.reason,
      message: decision.message.slice(0, 1000),
    };
    ctx.log.warn(
      { namespace, name: cr.metadata.name, reason: decision.reason, message: condition.message },
      'preflights failed: nothing written until they pass',
    );
    await writeStatus(condition);
    return { stop: { requeueAfterMs: RECHECK_MS } };
  }
  if (decision.action === 'confirm') {
    await writeStatus({ type: PREFLIGHTS, status: 'True', reason: 'RequirementsConfirmed', message: decision.message.slice(0, 1000) });
    await ctx.client.mergePatch('apps.3scale.net/v1alpha1', 'APIManager', namespace, cr.metadata.name, {
      metadata: { annotations: { [CONFIRMED_ANNOTATION]: requirementsVersion } },
    });
    ctx.log.info({ namespace, name: cr.metadata.name, requirementsVersion }, 'preflights passed');
    return { stop: { requeueAfterMs: 0 } };
  }
  // Confirmed earlier: keep the message that listed the versions found, if the condition says so already.
  const previous: Condition | undefined = findCondition((cr.status as { conditions?: Condition[] } | undefined)?.conditions, PREFLIGHTS);
  const message =
    decision.status === 'True' && previous?.status === 'True' && previous.reason === decision.reason ? previous.message : decision.message;
  return {
    condition: { type: PREFLIGHTS, status: decision.status, reason: decision.reason, message: message.slice(0, 1000) },
    ...(decision.status === 'False' ? { recheckMs: RECHECK_MS } : {}),
  };
}
