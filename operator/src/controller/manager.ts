// The controller process: API discovery (flavour), leader election, informers, the work queue and its workers,
// health/metrics endpoints, graceful shutdown. Reconcilers are pure-ish functions of (context, key).
import type { KubeConfig } from '@kubernetes/client-node';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { KubeObject } from './desired.js';
import { KubeClient } from './kube/client.js';
import { InformerSet, type WatchedKind, type InformerEvent } from './informers/informer-set.js';
import { WorkQueue } from './queue/work-queue.js';
import { Applier } from './apply/applier.js';
import { EventRecorder } from './events/recorder.js';
import { OperatorMetrics } from './metrics/metrics.js';
import { LeaseLock } from './leader/lease-lock.js';
import { startHealthServer } from './health/server.js';
import { reconcileApiManager, APIMANAGER } from './reconcilers/apimanager.js';
import { reconcileApicast, APICAST } from './reconcilers/apicast.js';
import { REQUIREMENTS_CONFIGMAP } from './preflights/decide.js';
import type { ApiManagerPlanner } from './reconcilers/apimanager-planner.js';
import { type WorkloadKind, defaultWorkloadKind } from '../flavours/index.js';
import type { ApicastPlanner } from './reconcilers/apicast-planner.js';
import { apiManagerGatewaySecretNames, apicastSecretNames, type Flavour, type ReconcileContext } from './reconcilers/context.js';
import { CapabilityRouter, capabilityKinds } from '../capabilities/runner/routing.js';
import { reconcileCapability } from '../capabilities/runner/run.js';
import { CapabilityMetrics, ClientCache, type CapabilitiesContext } from '../capabilities/runner/context.js';
import { CAPABILITY_RECONCILERS } from '../capabilities/registry.js';

export interface ManagerOptions {
  kubeconfig: KubeConfig;
  /** undefined = every namespace. */
  namespaces: string[] | undefined;
  flavourOverride?: Flavour;
  /** THREESCALE_WORKLOADS: Deployments on OpenShift (2.15+); unset = the flavour's default. */
  workloads?: WorkloadKind;
  health: { port: number; host: string };
  leaderElection?: { namespace: string; identity: string; leaseDurationSeconds?: number; renewDeadlineMs?: number; retryPeriodMs?: number };
  workers?: number;
  log: Logger;
  planners: { apiManager: ApiManagerPlanner; apicast: ApicastPlanner };
  /** Resync of the capabilities CRs (drift correction); default 5 minutes. */
  resyncMs?: number;
  /** How long one 3scale API call may take. */
  apiTimeoutMs?: number;
  env: NodeJS.ProcessEnv;
}

const REDIS_SECRETS = new Set(['backend-redis', 'system-redis']);
/** Inputs of the preflights (operator.md §11) that no APIManager owns: a change re-checks at once. */
const PREFLIGHT_INPUTS = new Set(['Secret/system-database', `ConfigMap/${REQUIREMENTS_CONFIGMAP}`]);

/** Parses WATCH_NAMESPACE: one namespace, a comma-separated list, or empty for all (README "namespace scope"). */
export function parseWatchNamespace(value: string | undefined): string[] | undefined {
  const names = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return names.length === 0 ? undefined : [...new Set(names)];
}

export function detectFlavour(served: ReadonlySet<string>): Flavour {
  return served.has('apps.openshift.io/v1') && served.has('route.openshift.io/v1') ? 'openshift' : 'kubernetes';
}

export function ownedKinds(
  flavour: Flavour,
  served: ReadonlySet<string>,
  workloads: WorkloadKind = defaultWorkloadKind(flavour),
): WatchedKind[] {
  const kinds: WatchedKind[] = [
    APIMANAGER,
    APICAST,
    { apiVersion: 'v1', kind: 'Secret' },
    { apiVersion: 'v1', kind: 'ConfigMap' },
    { apiVersion: 'v1', kind: 'Service' },
    { apiVersion: 'v1', kind: 'ServiceAccount' },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
    { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  ];
  if (flavour === 'openshift') {
    kinds.push(
      { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig' },
      { apiVersion: 'route.openshift.io/v1', kind: 'Route' },
      { apiVersion: 'image.openshift.io/v1', kind: 'ImageStream' },
    );
  }
  // Deployments run system-app's hooks as Jobs (DeploymentConfigs run them themselves).
  if (workloads === 'Deployment') kinds.push({ apiVersion: 'batch/v1', kind: 'Job' });
  kinds.push(...capabilityKinds(served));
  for (const kind of [
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor' },
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' },
    { apiVersion: 'integreatly.org/v1alpha1', kind: 'GrafanaDashboard' },
  ]) {
    if (served.has(kind.apiVersion)) kinds.push(kind);
  }
  return kinds;
}

const keyOf = (kind: string, namespace: string, name: string): string => `${kind}|${namespace}|${name}`;

export class Manager {
  readonly metrics = new OperatorMetrics();
  private readonly queue = new WorkQueue();
  /** Set by start(); stop() may come before (a SIGTERM during start-up). */
  private client: KubeClient | undefined;
  private informers: InformerSet | undefined;
  private lease: LeaseLock | undefined;
  private server: Server | undefined;
  private synced = false;
  private stopping = false;
  private workers: Promise<void>[] = [];
  private readonly capabilityRouter = new CapabilityRouter();
  private capabilities: CapabilitiesContext | undefined;
  flavour!: Flavour;
  workloads!: WorkloadKind;

  constructor(private readonly options: ManagerOptions) {}

  async start(): Promise<void> {
    const { log } = this.options;
    const client = await KubeClient.fromKubeConfig(this.options.kubeconfig, (verb, kind) => {
      this.metrics.apiWrites.inc({ verb, kind });
    });
    this.client = client;
    const served = await client.servedGroupVersions();
    this.flavour = this.options.flavourOverride ?? detectFlavour(served);
    this.workloads = this.options.workloads ?? defaultWorkloadKind(this.flavour);
    if (this.flavour === 'kubernetes') this.workloads = 'Deployment';
    log.info(
      {
        flavour: this.flavour,
        workloads: this.workloads,
        override: this.options.flavourOverride !== undefined,
        namespaces: this.options.namespaces ?? 'all',
      },
      'starting',
    );
    this.server = await startHealthServer(this.options.health.port, this.options.health.host, this.metrics.registry, {
      ready: () => this.synced || (this.lease !== undefined && !this.lease.isLeader && !this.stopping),
    });

    if (this.options.leaderElection) {
      this.lease = new LeaseLock(client, this.options.leaderElection, log);
      await this.lease.acquire(() => {
        // Another replica may lead now: stop writing at once, as client-go's OnStoppedLeading.
        log.error('lost the leader lease; exiting');
        process.exit(1);
      });
      if (this.stopping) return;
      this.metrics.isLeader.set(1);
    }

    const recorder = new EventRecorder(client, log);
    const informers: InformerSet = new InformerSet(
      this.options.kubeconfig,
      client,
      this.options.namespaces,
      (event, object) => {
        this.route(informers, event, object);
      },
      log,
    );
    this.informers = informers;
    await informers.start(ownedKinds(this.flavour, served, this.workloads));
    this.synced = true;
    log.info('caches synced');
    const ctx: ReconcileContext = {
      client,
      informers,
      applier: new Applier(client, informers, recorder, log),
      recorder,
      log,
      flavour: this.flavour,
      workloads: this.workloads,
      served,
      env: this.options.env,
    };
    const capabilityMetrics = new CapabilityMetrics(this.metrics.registry);
    this.capabilities = {
      kube: client,
      informers,
      recorder,
      log,
      resyncMs: this.options.resyncMs ?? 5 * 60_000,
      metrics: capabilityMetrics,
      clients: new ClientCache(capabilityMetrics, this.options.apiTimeoutMs),
    };
    for (let i = 0; i < (this.options.workers ?? 2); i++) this.workers.push(this.work(ctx));
  }

  /** Maps a watch event to the CR keys it concerns. */
  private route(informers: InformerSet, event: InformerEvent, object: KubeObject): void {
    const namespace = object.metadata.namespace ?? '';
    for (const key of this.capabilityRouter.keysFor(event, object, (apiVersion, kind) =>
      informers.list<KubeObject>(apiVersion, kind, namespace),
    ))
      this.enqueue(key);
    if (object.kind === APIMANAGER.kind || object.kind === APICAST.kind) {
      this.enqueue(keyOf(object.kind, namespace, object.metadata.name));
      return;
    }
    for (const ref of object.metadata.ownerReferences ?? []) {
      if (ref.controller && (ref.kind === APIMANAGER.kind || ref.kind === APICAST.kind) && ref.apiVersion === APIMANAGER.apiVersion) {
        this.enqueue(keyOf(ref.kind, namespace, ref.name));
      }
    }
    if (object.kind === 'Secret') {
      for (const cr of informers.list<KubeObject>(APIMANAGER.apiVersion, APIMANAGER.kind, namespace)) {
        if (REDIS_SECRETS.has(object.metadata.name) || apiManagerGatewaySecretNames(cr).includes(object.metadata.name))
          this.enqueue(keyOf(APIMANAGER.kind, namespace, cr.metadata.name));
      }
      for (const cr of informers.list<KubeObject>(APICAST.apiVersion, APICAST.kind, namespace)) {
        if (apicastSecretNames(cr).includes(object.metadata.name)) this.enqueue(keyOf(APICAST.kind, namespace, cr.metadata.name));
      }
    }
    if (PREFLIGHT_INPUTS.has(`${object.kind}/${object.metadata.name}`)) {
      for (const cr of informers.list<KubeObject>(APIMANAGER.apiVersion, APIMANAGER.kind, namespace))
        this.enqueue(keyOf(APIMANAGER.kind, namespace, cr.metadata.name));
    }
    if (object.kind === 'Route' || (object.kind === 'Ingress' && !object.metadata.ownerReferences?.length)) {
      // Routes are created by zync-que (not owned): they decide `Available`.
      for (const cr of informers.list<KubeObject>(APIMANAGER.apiVersion, APIMANAGER.kind, namespace))
        this.enqueue(keyOf(APIMANAGER.kind, namespace, cr.metadata.name));
    }
  }

  private enqueue(key: string): void {
    this.queue.add(key);
    this.metrics.queueDepth.set(this.queue.depth);
  }

  private async work(ctx: ReconcileContext): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      this.metrics.queueDepth.set(this.queue.depth);
      if (key === undefined) return;
      const [kind = '', namespace = '', name = ''] = key.split('|');
      const timer = this.metrics.reconcileDuration.startTimer({ kind });
      try {
        const capability = CAPABILITY_RECONCILERS.get(kind);
        const result =
          capability && this.capabilities
            ? await reconcileCapability(this.capabilities, capability, namespace, name)
            : kind === APIMANAGER.kind
              ? await reconcileApiManager(ctx, this.options.planners.apiManager, namespace, name)
              : await reconcileApicast(ctx, this.options.planners.apicast, namespace, name);
        this.metrics.reconciles.inc({ kind, result: 'success' });
        ctx.log.debug({ kind, namespace, name, requeueAfterMs: result.requeueAfterMs }, 'reconciled');
        this.queue.forget(key);
        if (result.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
      } catch (error) {
        this.metrics.reconciles.inc({ kind, result: 'error' });
        this.metrics.reconcileErrors.inc({ kind });
        const delay = this.queue.addRateLimited(key);
        ctx.log.warn(
          { kind, namespace, name, retryInMs: delay, err: error instanceof Error ? error.message : String(error) },
          'reconcile failed',
        );
      } finally {
        timer();
        this.queue.done(key);
      }
    }
  }

  /** SIGTERM: finish the passes in flight, stop watching, hand over the lease, close the endpoints. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.queue.shutdown();
    await Promise.all(this.workers);
    await this.informers?.stop();
    await this.lease?.release();
    this.metrics.isLeader.set(0);
    await new Promise<void>((resolve) => {
      if (this.server)
        this.server.close(() => {
          resolve();
        });
      else resolve();
    });
    await this.client?.close();
  }
}
