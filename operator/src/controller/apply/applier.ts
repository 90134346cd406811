// Applies a CR's desired objects to the cluster: reads the live object (informer cache, else GET), plans the
// write (plan-write.ts) and sends at most one request per object. Records an Event for every create, update,
// delete and failure. A 409 on create (our cache lagged) re-reads and re-plans; a 409 on update (someone wrote
// in between) fails the pass so it is retried with backoff against the fresh object: never a blind overwrite.
import type { Logger } from 'pino';
import type { DesiredObject, KubeObject, ObjectRef, OwnerReference } from '../desired.js';
import type { KubeClient } from '../kube/client.js';
import { isAlreadyExists, isNotFound } from '../kube/errors.js';
import type { InformerSet } from '../informers/informer-set.js';
import type { EventRecorder } from '../events/recorder.js';
import { controlledByAnother, ownedBy, planWrite } from './plan-write.js';

export interface ApplyOptions {
  namespace: string;
  owner: OwnerReference;
  /** The CR, for Events. */
  involved: KubeObject;
  deferredPaths?: ReadonlySet<string>;
  /** Workload names whose existing objects must not be updated this pass (incomplete user secrets). */
  holdBack?: ReadonlySet<string>;
  /** Workload names neither created nor updated this pass (their pre-hook Job has not completed). */
  gated?: ReadonlySet<string>;
  /** group/versions the API server serves; kinds of other groups are skipped (monitoring CRDs absent). */
  served: ReadonlySet<string>;
}

export interface ApplyOutcome {
  created: string[];
  updated: string[];
  deleted: string[];
  skipped: string[];
}

/** A desired object whose live copy another resource controls: `object` and `owner` as `Kind/name`. */
export interface OwnershipConflict {
  object: string;
  owner: string;
}

const KIND_RANK: Record<string, number> = {
  Secret: 0,
  ConfigMap: 1,
  PersistentVolumeClaim: 1,
  ServiceAccount: 1,
  Role: 1,
  RoleBinding: 2,
  Service: 2,
  ImageStream: 2,
  Job: 3,
  DeploymentConfig: 4,
  Deployment: 4,
  Route: 5,
  Ingress: 5,
  PodDisruptionBudget: 6,
};

/** Secrets first, then what workloads mount, then workloads, then what points at them (operator.md §2.2). */
export function applyOrder(objects: DesiredObject[]): DesiredObject[] {
  return objects
    .map((o, i) => ({ o, i }))
    .sort((a, b) => (KIND_RANK[a.o.object.kind] ?? 7) - (KIND_RANK[b.o.object.kind] ?? 7) || a.i - b.i)
    .map(({ o }) => o);
}

const groupVersionServed = (served: ReadonlySet<string>, apiVersion: string): boolean =>
  !apiVersion.includes('/') || served.has(apiVersion);

export class Applier {
  constructor(
    private readonly client: KubeClient,
    private readonly informers: InformerSet,
    private readonly recorder: EventRecorder,
    private readonly log: Logger,
  ) {}

  async live(apiVersion: string, kind: string, namespace: string, name: string): Promise<KubeObject | undefined> {
    if (this.informers.has(apiVersion, kind)) return this.informers.get(apiVersion, kind, namespace, name);
    try {
      return await this.client.get(apiVersion, kind, namespace, name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async apply(desiredObjects: DesiredObject[], options: ApplyOptions): Promise<ApplyOutcome> {
    const outcome: ApplyOutcome = { created: [], updated: [], deleted: [], skipped: [] };
    for (const desired of applyOrder(desiredObjects)) {
      const { apiVersion, kind, metadata } = desired.object;
      const label = `${kind}/${metadata.name}`;
      if (!groupVersionServed(options.served, apiVersion)) {
        outcome.skipped.push(label);
        continue;
      }
      if (options.gated?.has(metadata.name) && (kind === 'DeploymentConfig' || kind === 'Deployment')) {
        outcome.skipped.push(label);
        continue;
      }
      if (desired.reconcile.mode === 'hook-job') continue; // created and replaced by the hook logic only
      let live = await this.live(apiVersion, kind, options.namespace, metadata.name);
      // Callers check conflicts() first and write nothing at all; this keeps a late change of hands safe too.
      if (live && controlledByAnother(live, options.owner.uid)) {
        outcome.skipped.push(label);
        continue;
      }
      if (live && options.holdBack?.has(metadata.name) && (kind === 'DeploymentConfig' || kind === 'Deployment')) continue;
      let plan = planWrite(desired, live, { namespace: options.namespace, owner: options.owner, deferredPaths: options.deferredPaths });
      try {
        if (plan.action === 'create') {
          try {
            await this.client.create(plan.body);
            outcome.created.push(label);
            await this.recorder.record(options.involved, 'Normal', 'Created', `created ${label}`);
            continue;
          } catch (error) {
            if (!isAlreadyExists(error)) throw error;
            live = await this.client.get(apiVersion, kind, options.namespace, metadata.name);
            plan = planWrite(desired, live, { namespace: options.namespace, owner: options.owner, deferredPaths: options.deferredPaths });
          }
        }
        if (plan.action === 'update') {
          await this.client.update(plan.body);
          outcome.updated.push(label);
          await this.recorder.record(options.involved, 'Normal', 'Updated', `updated ${label}: ${plan.changed.join(', ')}`);
        }
      } catch (error) {
        await this.recorder.record(
          options.involved,
          'Warning',
          'ApplyFailed',
          `${label}: ${error instanceof Error ? error.message : String(error)}`,
        );
        throw error;
      }
    }
    return outcome;
  }

  /** Desired objects that exist already under another controller (another CR's), in apply order. */
  async conflicts(
    desiredObjects: DesiredObject[],
    options: Pick<ApplyOptions, 'namespace' | 'owner' | 'served'>,
  ): Promise<OwnershipConflict[]> {
    const found: OwnershipConflict[] = [];
    for (const desired of applyOrder(desiredObjects)) {
      const { apiVersion, kind, metadata } = desired.object;
      if (!groupVersionServed(options.served, apiVersion)) continue;
      const live = await this.live(apiVersion, kind, options.namespace, metadata.name);
      const other = live && controlledByAnother(live, options.owner.uid);
      if (other) found.push({ object: `${kind}/${metadata.name}`, owner: `${other.kind}/${other.name}` });
    }
    return found;
  }

  /** Deletes objects the CR no longer asks for (PDBs/monitoring switched off, Ingress without exposedHost) — only ours. */
  async deleteAbsent(refs: ObjectRef[], options: ApplyOptions, outcome: ApplyOutcome): Promise<void> {
    for (const ref of refs) {
      if (!groupVersionServed(options.served, ref.apiVersion)) continue;
      const live = await this.live(ref.apiVersion, ref.kind, options.namespace, ref.name);
      if (!live || !ownedBy(live, options.owner.uid)) continue;
      try {
        await this.client.delete(ref.apiVersion, ref.kind, options.namespace, ref.name);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      outcome.deleted.push(`${ref.kind}/${ref.name}`);
      await this.recorder.record(options.involved, 'Normal', 'Deleted', `deleted ${ref.kind}/${ref.name}`);
    }
  }
}
