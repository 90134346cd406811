// One reconcile pass of an APIManager (operator.md §2.1, level-triggered): version annotations, plan from the
// builders, apply (secrets first), the ordered Redis-migration roll, then status. Every step compares with the
// live objects first, so a pass over an unchanged CR sends no write at all.
import type { DesiredObject, KubeObject, OwnerReference } from '../desired.js';
import type { Finding } from '../../components/common/desired.js';
import type { FieldError } from '../../model/types.js';
import type { EffectiveSecrets, ExistingSecret } from '../../secrets/resolve.js';
import { REDIS_CONFIG_HASH, REDIS_CONFIG_HASH_PATH } from '../../components/common/redis-hash.js';
import { OPERATOR_VERSION, THREESCALE_RELEASE } from '../../api/defaults.js';
import { ownedBy, planWrite } from '../apply/plan-write.js';
import { decideHooks, type HookFailure } from '../hooks/hook-jobs.js';
import { dropObsoleteImageStreamTags, upgradeWorkload, type UpgradeChange } from '../upgrade/steps.js';
import { isAlreadyExists, isNotFound } from '../kube/errors.js';
import { semanticEqual } from '../apply/equality.js';
import { setConditions, findCondition, type Condition, type ConditionInput } from '../status/conditions.js';
import { type Availability, availability, defaultHosts, deploymentsStatus } from '../status/apimanager-status.js';
import { rolledOut } from '../status/workload-readiness.js';
import { CONFLICT_RECHECK_MS, ownershipConflictConditions, ownershipConflictMessage } from '../status/ownership-conflict.js';
import { nextMigrationStep, ROLL_ORDER, type ConsumerState } from '../redis-migration/plan.js';
import { consumerEndpoints, endpointSyntaxProblems, type EndpointProblem } from '../redis-migration/endpoints.js';
import { probeEndpoint } from '../redis-migration/probe.js';
import { migrationMessage, planWorkloadMigration } from '../workload-migration/plan.js';
import { ZYNC_ROUTE_HOSTS } from '../../components/zync/disabled.js';
import { runPreflights } from '../preflights/run.js';
import { controllerReference, decodeSecretData, secretsReadBy, type ReconcileContext, type ReconcileResult } from './context.js';
import type { ApiManagerPlanner } from './apimanager-planner.js';

export const APIMANAGER = { apiVersion: 'apps.3scale.net/v1alpha1', kind: 'APIManager' } as const;
export const VERSION_ANNOTATION = 'apps.3scale.net/threescale-operator-version';
export const RELEASE_ANNOTATION = 'apps.3scale.net/apimanager-threescale-version';
const MIGRATION_POLL_MS = 10_000;
const NOT_AVAILABLE_POLL_MS = 15_000;
const WORKLOAD_KINDS = new Set(['DeploymentConfig', 'Deployment']);

interface ApiManagerStatus {
  conditions?: Condition[];
  deployments?: unknown;
  observedGeneration?: number;
}

export async function reconcileApiManager(
  ctx: ReconcileContext,
  planner: ApiManagerPlanner,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  const cr = ctx.informers.get(APIMANAGER.apiVersion, APIMANAGER.kind, namespace, name);
  if (!cr || cr.metadata.deletionTimestamp) return {};
  const uid = cr.metadata.uid ?? '';

  const existing = new Map<string, ExistingSecret>();
  for (const secret of ctx.informers.list<KubeObject>('v1', 'Secret', namespace)) {
    existing.set(secret.metadata.name, { data: decodeSecretData(secret), userProvided: !ownedBy(secret, uid) });
  }
  const outcome = planner(cr, existing, { flavour: ctx.flavour, workloads: ctx.workloads }, ctx.env);
  if (!outcome.ok) {
    // Schema-valid but inconsistent: report, touch nothing that runs.
    const message = outcome.errors.map((e) => `${e.path}: ${e.reason}`).join('; ');
    await writeStatus(
      ctx,
      cr,
      [
        { type: 'Degraded', status: 'True', reason: 'InvalidSpec', message },
        { type: 'Progressing', status: 'False', reason: 'InvalidSpec', message: 'reconcile stopped until the spec is fixed' },
      ],
      undefined,
      'InvalidSpec',
      message,
    );
    return {};
  }
  const { result, effective } = outcome.plan;

  // Objects another CR controls (a second APIManager in the namespace): write nothing, say whose they are.
  const conflicts = await ctx.applier.conflicts(result.objects, { namespace, owner: controllerReference(cr, true), served: ctx.served });
  if (conflicts.length > 0) {
    await writeStatus(ctx, cr, ownershipConflictConditions(conflicts), undefined, 'OwnershipConflict', ownershipConflictMessage(conflicts));
    return { requeueAfterMs: CONFLICT_RECHECK_MS };
  }

  // Preflights (operator.md §11): a new install or an upgrade writes nothing until the external databases meet
  // the requirements ConfigMap and the release hop is one minor.
  const preflight = await runPreflights(ctx, cr, effective, (c) =>
    writeStatus(ctx, cr, [c], undefined, c.status === 'False' ? c.reason : undefined, c.message),
  );
  if (preflight.stop) return preflight.stop;

  // Incomplete user secrets: Degraded naming secret and key; no workload that reads such a secret is updated.
  const incomplete = new Set(result.findings.flatMap((f) => (f.secret ? [f.secret] : [])));
  const holdBack = new Set<string>();
  for (const desired of result.objects) {
    if (WORKLOAD_KINDS.has(desired.object.kind) && [...secretsReadBy(desired.object)].some((s) => incomplete.has(s)))
      holdBack.add(desired.object.metadata.name);
  }

  // Step 3 of §2.1 / §5: a CR without (or with another) operator version runs the upgrade steps on the objects
  // the previous operator left (adopted by name and owner UID, never recreated; their missing Redis marker makes
  // the migration roll each consumer once, in order). Each pass that changes something requeues; once nothing
  // changes both version annotations are stamped. A brand-new CR owns nothing, so it is stamped at once.
  const annotations = cr.metadata.annotations ?? {};
  if (annotations[VERSION_ANNOTATION] !== OPERATOR_VERSION || annotations[RELEASE_ANNOTATION] !== THREESCALE_RELEASE) {
    const changed = await runUpgradeSteps(ctx, result.objects, namespace, uid, cr, holdBack);
    if (changed) return { requeueAfterMs: 0 };
    // An existing held-back workload still needs its steps: stay unstamped (the pass below reports Degraded)
    // until its secret is complete. A brand-new CR has none and is stamped at once.
    const heldLive = result.objects.some(
      (d) =>
        WORKLOAD_KINDS.has(d.object.kind) &&
        holdBack.has(d.object.metadata.name) &&
        ctx.informers.get(d.object.apiVersion, d.object.kind, namespace, d.object.metadata.name) !== undefined,
    );
    if (!heldLive) {
      const previous = annotations[VERSION_ANNOTATION];
      await ctx.client.mergePatch(APIMANAGER.apiVersion, APIMANAGER.kind, namespace, name, {
        metadata: { annotations: { [VERSION_ANNOTATION]: OPERATOR_VERSION, [RELEASE_ANNOTATION]: THREESCALE_RELEASE } },
      });
      if (previous) await ctx.recorder.record(cr, 'Normal', 'Upgraded', `adopted from operator version ${previous} to ${OPERATOR_VERSION}`);
      return { requeueAfterMs: 0 };
    }
  }

  const owner = controllerReference(cr, true);
  const deferredPaths = new Set([REDIS_CONFIG_HASH_PATH]);
  const moving = await moveToDeployments(ctx, cr, result.objects, namespace, uid);
  const objects = result.objects.filter(
    (d) => !(moving.blocked.has(d.object.metadata.name) || (d.reconcile.mode === 'hook-job' && moving.blocked.has(d.reconcile.workload))),
  );
  const hookWaits = await runHooks(ctx, objects, namespace, owner, deferredPaths, cr);
  const options = {
    namespace,
    owner,
    involved: cr,
    deferredPaths,
    holdBack,
    gated: new Set([...hookWaits.gated, ...moving.blocked]),
    served: ctx.served,
  };
  const applied = await ctx.applier.apply(objects, options);
  await ctx.applier.deleteAbsent(result.absent, options, applied);
  if (applied.created.length + applied.updated.length + applied.deleted.length > 0) {
    ctx.log.info({ namespace, name, created: applied.created.length, updated: applied.updated, deleted: applied.deleted }, 'applied');
  }

  const workloadKind = ctx.workloads;
  const workloadApi = ctx.workloads === 'DeploymentConfig' ? 'apps.openshift.io/v1' : 'apps/v1';
  const desiredWorkloads = result.objects.filter((d) => WORKLOAD_KINDS.has(d.object.kind)).map((d) => d.object);
  const owned = new Map<string, KubeObject>();
  for (const w of ctx.informers.list<KubeObject>(workloadApi, workloadKind, namespace)) if (ownedBy(w, uid)) owned.set(w.metadata.name, w);

  const migration = await migrationStep(ctx, cr, desiredWorkloads, owned, effective, holdBack);

  const spec = (cr.spec as { tenantName?: string; wildcardDomain?: string; zync?: { enabled?: boolean } } | undefined) ?? {};
  const tenant = spec.tenantName ?? '3scale';
  const zyncRoutes = new Set(spec.zync?.enabled === false ? ZYNC_ROUTE_HOSTS(tenant, spec.wildcardDomain ?? '') : []);
  const exposures =
    ctx.flavour === 'openshift'
      ? ctx.served.has('route.openshift.io/v1')
        ? ctx.informers.list<KubeObject>('route.openshift.io/v1', 'Route', namespace)
        : []
      : ctx.informers.list<KubeObject>('networking.k8s.io/v1', 'Ingress', namespace);
  const avail = availability({
    expected: desiredWorkloads.map((w) => w.metadata.name),
    owned,
    flavour: ctx.flavour,
    hosts: defaultHosts(tenant, spec.wildcardDomain ?? '').filter((host) => !zyncRoutes.has(host)),
    exposures,
  });
  const findingsMessage = result.findings
    .map((f) => `${f.secret ? `secret ${f.secret}` : (f.field ?? '')}${f.key ? ` key ${f.key}` : ''}: ${f.reason}`)
    .join('; ');
  const conditions: ConditionInput[] = [
    avail.available
      ? {
          type: 'Available',
          status: 'True',
          reason: 'AllComponentsAvailable',
          message: 'every workload is available and the default routes exist',
        }
      : {
          type: 'Available',
          status: 'False',
          reason: 'ComponentsNotAvailable',
          message: `waiting for: ${avail.missing.join(', ')}`.slice(0, 1000),
        },
    avail.available
      ? { type: 'Progressing', status: 'False', reason: 'Reconciled', message: 'all objects reconciled' }
      : {
          type: 'Progressing',
          status: 'True',
          reason: 'Deploying',
          message: ['waiting for workloads and routes', ...hookWaits.waiting].join('; '),
        },
    degradedCondition(findingsMessage, hookWaits.failures),
    ...detailConditions(avail, secretFindingsMessage(result.findings), outcome.plan.warnings),
  ];
  if (migration.condition) conditions.push(migration.condition);
  if (moving.condition) conditions.push(moving.condition);
  if (preflight.condition) conditions.push(preflight.condition);
  await writeStatus(
    ctx,
    cr,
    conditions,
    deploymentsStatus([...owned.values()].filter((w) => desiredWorkloads.some((d) => d.metadata.name === w.metadata.name))),
  );
  if (migration.requeue || hookWaits.gated.size > 0 || moving.blocked.size > 0) return { requeueAfterMs: MIGRATION_POLL_MS };
  return avail.available ? (preflight.recheckMs ? { requeueAfterMs: preflight.recheckMs } : {}) : { requeueAfterMs: NOT_AVAILABLE_POLL_MS };
}

const secretFindingsMessage = (findings: readonly Finding[]) =>
  findings
    .filter((f) => f.secret)
    .map((f) => `secret ${f.secret}${f.key ? ` key ${f.key}` : ''}: ${f.reason}`)
    .join('; ')
    .slice(0, 1000);

/**
 * The finer conditions of current 3scale-operator releases, each about one thing, for users and tools that watch
 * a single aspect: DeploymentsAvailable, RoutesReady, SecretsAvailable and Warning (deprecated or ignored input).
 */
function detailConditions(avail: Availability, secretsMessage: string, warnings: readonly FieldError[]): ConditionInput[] {
  const warningMessage = warnings
    .map((w) => `${w.path}: ${w.reason}`)
    .join('; ')
    .slice(0, 1000);
  return [
    avail.workloads.length === 0
      ? { type: 'DeploymentsAvailable', status: 'True', reason: 'AllDeploymentsAvailable', message: 'every workload is available' }
      : {
          type: 'DeploymentsAvailable',
          status: 'False',
          reason: 'DeploymentsNotAvailable',
          message: `waiting for: ${avail.workloads.join(', ')}`.slice(0, 1000),
        },
    avail.routes.length === 0
      ? { type: 'RoutesReady', status: 'True', reason: 'AllRoutesReady', message: 'the default routes exist and are admitted' }
      : {
          type: 'RoutesReady',
          status: 'False',
          reason: 'RoutesNotReady',
          message: `waiting for: ${avail.routes.join(', ')}`.slice(0, 1000),
        },
    secretsMessage === ''
      ? {
          type: 'SecretsAvailable',
          status: 'True',
          reason: 'AllSecretsAvailable',
          message: 'every Secret the installation reads is complete',
        }
      : { type: 'SecretsAvailable', status: 'False', reason: 'IncompleteSecrets', message: secretsMessage },
    warningMessage === ''
      ? { type: 'Warning', status: 'False', reason: 'NoWarnings', message: '' }
      : { type: 'Warning', status: 'True', reason: 'DeprecatedOrIgnoredFields', message: warningMessage },
  ];
}

/**
 * Deployments on OpenShift (THREESCALE_WORKLOADS=Deployment) over a running DeploymentConfig installation: one
 * step of workload-migration/plan.ts per pass and component. Reported in a WorkloadMigration condition.
 */
async function moveToDeployments(
  ctx: ReconcileContext,
  cr: KubeObject,
  objects: readonly DesiredObject[],
  namespace: string,
  uid: string,
): Promise<{ blocked: Set<string>; condition?: ConditionInput }> {
  if (ctx.workloads !== 'Deployment' || !ctx.served.has('apps.openshift.io/v1')) return { blocked: new Set() };
  const live = ctx.informers.list<KubeObject>('apps.openshift.io/v1', 'DeploymentConfig', namespace).map((dc) => ({
    name: dc.metadata.name,
    owned: ownedBy(dc, uid),
    specReplicas: (dc.spec as { replicas?: number } | undefined)?.replicas ?? 0,
    statusReplicas: (dc.status as { replicas?: number } | undefined)?.replicas ?? 0,
  }));
  const plan = planWorkloadMigration(
    objects.filter((d) => d.object.kind === 'Deployment').map((d) => d.object.metadata.name),
    live,
  );
  for (const action of plan.actions) {
    if (action.kind === 'scale-down') {
      await ctx.client.mergePatch('apps.openshift.io/v1', 'DeploymentConfig', namespace, action.name, { spec: { replicas: 0 } });
      await ctx.recorder.record(
        cr,
        'Normal',
        'ScaledDown',
        `scaled DeploymentConfig ${action.name} to 0 before replacing it with a Deployment`,
      );
    } else if (action.kind === 'delete') {
      try {
        await ctx.client.delete('apps.openshift.io/v1', 'DeploymentConfig', namespace, action.name, 'Background');
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      await ctx.recorder.record(cr, 'Normal', 'Deleted', `deleted DeploymentConfig ${action.name}; its Deployment follows`);
    }
  }
  const previous = findCondition((cr.status as ApiManagerStatus | undefined)?.conditions, 'WorkloadMigration');
  if (plan.actions.length > 0)
    return {
      blocked: plan.blocked,
      condition: {
        type: 'WorkloadMigration',
        status: 'True',
        reason: 'MovingToDeployments',
        message: migrationMessage(plan).slice(0, 1000),
      },
    };
  if (previous?.status === 'True')
    return {
      blocked: plan.blocked,
      condition: { type: 'WorkloadMigration', status: 'False', reason: 'Completed', message: 'every component runs as a Deployment' },
    };
  return { blocked: plan.blocked };
}

/** kubernetes flavour: creates/replaces hook Jobs and says which workloads wait for their pre hook. */
/** Degraded: incomplete user secrets and failed hook Jobs, each named with its reason (never a secret value). */
function degradedCondition(findingsMessage: string, hookFailures: readonly HookFailure[]): ConditionInput {
  const hookMessage = hookFailures
    .map(
      (f) =>
        `hook Job ${f.job} (${f.phase} hook of ${f.workload}) failed: ${f.reason}${f.phase === 'pre' ? `; ${f.workload} keeps its current template` : ''}`,
    )
    .join('; ');
  const message = [findingsMessage, hookMessage]
    .filter((m) => m)
    .join('; ')
    .slice(0, 1000);
  if (findingsMessage) return { type: 'Degraded', status: 'True', reason: 'IncompleteSecrets', message };
  if (hookMessage) return { type: 'Degraded', status: 'True', reason: 'HookJobFailed', message };
  return { type: 'Degraded', status: 'False', reason: 'AsExpected', message: '' };
}

async function runHooks(
  ctx: ReconcileContext,
  objects: DesiredObject[],
  namespace: string,
  owner: OwnerReference,
  deferredPaths: ReadonlySet<string>,
  cr: KubeObject,
): Promise<{ gated: Set<string>; waiting: string[]; failures: HookFailure[] }> {
  const hooks = objects.filter((d) => d.reconcile.mode === 'hook-job');
  if (hooks.length === 0) return { gated: new Set(), waiting: [], failures: [] };
  const workload = (name: string) => objects.find((d) => WORKLOAD_KINDS.has(d.object.kind) && d.object.metadata.name === name);
  const liveWorkload = (name: string) => ctx.informers.get('apps/v1', 'Deployment', namespace, name);
  const decision = decideHooks({
    hooks,
    liveJob: (name) => ctx.informers.get('batch/v1', 'Job', namespace, name),
    templateWouldChange: (name) => {
      const desired = workload(name);
      if (!desired) return false;
      const plan = planWrite(desired, liveWorkload(name), { namespace, owner, deferredPaths });
      return plan.action === 'create' || (plan.action === 'update' && plan.changed.some((path) => path.startsWith('spec.template')));
    },
    rolledOut: (name) => {
      const live = liveWorkload(name);
      return live !== undefined && rolledOut(live);
    },
  });
  for (const action of decision.actions) {
    if (action.kind === 'create') {
      const plan = planWrite(action.job, undefined, { namespace, owner });
      if (plan.action !== 'create') continue;
      try {
        await ctx.client.create(plan.body);
      } catch (error) {
        if (isAlreadyExists(error)) continue; // our cache lagged behind our own create
        throw error;
      }
      await ctx.recorder.record(cr, 'Normal', 'Created', `created hook Job ${action.job.object.metadata.name}`);
    } else {
      try {
        await ctx.client.delete('batch/v1', 'Job', namespace, action.name, 'Background');
      } catch (error) {
        if (isNotFound(error)) continue;
        throw error;
      }
      await ctx.recorder.record(cr, 'Normal', 'Deleted', `deleted hook Job ${action.name}: ${action.reason}`);
    }
  }
  return { gated: decision.gated, waiting: decision.waiting, failures: decision.failures };
}

/** §5 steps 1, 3 and 4 on the live objects this APIManager owns; true when something was written. */
async function runUpgradeSteps(
  ctx: ReconcileContext,
  objects: DesiredObject[],
  namespace: string,
  uid: string,
  cr: KubeObject,
  holdBack: ReadonlySet<string>,
): Promise<boolean> {
  const writes: UpgradeChange[] = [];
  for (const { object } of objects) {
    if (!ctx.served.has(object.apiVersion)) continue;
    // A workload reading an incomplete user secret is not rolled (README "incomplete user secrets"), upgrade included.
    if (WORKLOAD_KINDS.has(object.kind) && holdBack.has(object.metadata.name)) continue;
    const live = ctx.informers.get(object.apiVersion, object.kind, namespace, object.metadata.name);
    if (!live || !ownedBy(live, uid)) continue;
    const change =
      object.kind === 'ImageStream'
        ? dropObsoleteImageStreamTags(live)
        : WORKLOAD_KINDS.has(object.kind)
          ? upgradeWorkload(live, object)
          : undefined;
    if (change) writes.push(change);
  }
  for (const { body, changed } of writes) {
    await ctx.client.update(body);
    await ctx.recorder.record(cr, 'Normal', 'Upgrading', `${body.kind} ${body.metadata.name}: ${changed.join(', ')}`.slice(0, 1000));
  }
  if (writes.length > 0)
    ctx.log.info({ namespace, objects: writes.map((w) => `${w.body.kind}/${w.body.metadata.name}`) }, 'upgrade steps applied');
  return writes.length > 0;
}

interface MigrationOutcome {
  condition?: ConditionInput;
  requeue: boolean;
}

async function migrationStep(
  ctx: ReconcileContext,
  cr: KubeObject,
  desired: KubeObject[],
  owned: Map<string, KubeObject>,
  effective: EffectiveSecrets,
  holdBack: ReadonlySet<string>,
): Promise<MigrationOutcome> {
  const hashOf = (w: KubeObject | undefined): string | undefined =>
    ((w?.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template?.metadata?.annotations ??
      {})[REDIS_CONFIG_HASH];
  const consumers: ConsumerState[] = [];
  const liveOf = new Map<string, KubeObject>();
  for (const name of ROLL_ORDER) {
    const want = desired.find((w) => w.metadata.name === name);
    const live = owned.get(name);
    const desiredHash = hashOf(want);
    if (!want || !live || desiredHash === undefined || holdBack.has(name)) continue;
    consumers.push({ name, desiredHash, liveHash: hashOf(live), rolledOut: rolledOut(live) });
    liveOf.set(name, live);
  }
  const previous = findCondition((cr.status as ApiManagerStatus | undefined)?.conditions, 'RedisMigration');
  const step = nextMigrationStep(consumers);
  if (step.kind === 'idle') {
    // Absent until the first migration; afterwards it reports completion.
    return previous
      ? {
          condition: {
            type: 'RedisMigration',
            status: 'False',
            reason: 'Completed',
            message: 'every Redis consumer uses the current secret values',
          },
          requeue: false,
        }
      : { requeue: false };
  }
  if (step.kind === 'wait') {
    return {
      condition: {
        type: 'RedisMigration',
        status: 'True',
        reason: 'Rolling',
        message: `waiting for ${step.consumer} to finish its rollout; still to roll: ${step.stale.join(', ')}`,
      },
      requeue: true,
    };
  }
  // Validate syntax and reachability of everything the consumer will read, right before rolling it.
  const problems: EndpointProblem[] = [];
  const spec = (cr.spec ?? {}) as {
    backend?: { redisTLSEnabled?: boolean; queuesTLSEnabled?: boolean };
    system?: { redisTLSEnabled?: boolean };
  };
  const tlsFlags = {
    backendRedis: spec.backend?.redisTLSEnabled === true,
    queues: spec.backend?.queuesTLSEnabled === true,
    systemRedis: spec.system?.redisTLSEnabled === true,
  };
  for (const endpoint of consumerEndpoints(step.consumer, effective, tlsFlags)) {
    const syntax = endpointSyntaxProblems(endpoint);
    if (syntax.length > 0) {
      problems.push(...syntax);
      continue;
    }
    const unreachable = await probeEndpoint(endpoint);
    if (unreachable) problems.push(unreachable);
  }
  if (problems.length > 0) {
    const message = `not rolling ${step.consumer}: ${problems.map((p) => `secret ${p.secret} key ${p.key}: ${p.reason}`).join('; ')}`;
    await ctx.recorder.record(cr, 'Warning', 'InvalidRedisConfig', message);
    return {
      condition: { type: 'RedisMigration', status: 'False', reason: 'InvalidRedisConfig', message: message.slice(0, 1000) },
      requeue: true,
    };
  }
  // The step names one of `consumers`: each has its live workload and a desired hash.
  const consumer = consumers.find((c) => c.name === step.consumer);
  const live = liveOf.get(step.consumer);
  if (!consumer || !live) throw new Error(`redis migration: step for ${step.consumer}, which is not a consumer`);
  const next = structuredClone(live) as KubeObject & { spec: { template: { metadata?: { annotations?: Record<string, string> } } } };
  next.spec.template.metadata = {
    ...(next.spec.template.metadata ?? {}),
    annotations: { ...(next.spec.template.metadata?.annotations ?? {}), [REDIS_CONFIG_HASH]: consumer.desiredHash },
  };
  await ctx.client.update(next);
  await ctx.recorder.record(cr, 'Normal', 'RedisMigration', `rolling ${step.consumer} to the new Redis settings`);
  return { condition: { type: 'RedisMigration', status: 'True', reason: 'Rolling', message: `rolling ${step.consumer}` }, requeue: true };
}

async function writeStatus(
  ctx: ReconcileContext,
  cr: KubeObject,
  inputs: ConditionInput[],
  deployments: unknown,
  failureReason?: string,
  failureMessage?: string,
): Promise<void> {
  const current = (cr.status as ApiManagerStatus | undefined) ?? {};
  const generation = cr.metadata.generation;
  const status: ApiManagerStatus = {
    ...current,
    conditions: setConditions(current.conditions, inputs, cr.metadata.generation),
    deployments: deployments ?? current.deployments ?? {},
    observedGeneration: generation,
  };
  if (semanticEqual(status, current)) return;
  await ctx.client.updateStatus({ ...cr, status });
  if (failureReason) await ctx.recorder.record(cr, 'Warning', failureReason, failureMessage ?? '');
}
