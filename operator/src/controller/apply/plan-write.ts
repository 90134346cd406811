// What one desired object needs on the live cluster, decided without I/O: create it, update exactly the fields
// operator.md §2.4 reconciles, or nothing. The live object is never rebuilt from the desired one: only the
// reconciled fields (plus the metadata label/annotation merge) are copied onto a copy of what the server
// returned, so fields written by other managers survive.
import type { DesiredObject, KubeObject, OwnerReference } from '../desired.js';
import { copyPath, parsePath } from './paths.js';
import { semanticEqual } from './equality.js';

export type WritePlan =
  { action: 'create'; body: KubeObject } | { action: 'update'; body: KubeObject; changed: string[] } | { action: 'none' };

export interface PlanContext {
  namespace: string;
  owner: OwnerReference;
  /** Paths the caller handles itself (the redis-config-hash annotation, rolled in order by the migration). */
  deferredPaths?: ReadonlySet<string>;
}

/** True when the live object carries this CR's UID as an owner: only then is it ours (operator.md §2.5). */
export function ownedBy(live: KubeObject, uid: string): boolean {
  return (live.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid);
}

/**
 * The controller owner reference of `live` when it names another object than `uid`: that object is
 * another CR's, and this CR must never write it (two APIManagers in one namespace would otherwise
 * take turns setting each other's replicas and secrets).
 */
export function controlledByAnother(live: KubeObject, uid: string): OwnerReference | undefined {
  const controller = (live.metadata.ownerReferences ?? []).find((ref) => ref.controller === true);
  return controller && controller.uid !== uid ? controller : undefined;
}

export function planWrite(desired: DesiredObject, live: KubeObject | undefined, ctx: PlanContext): WritePlan {
  if (!live) return { action: 'create', body: creationBody(desired, ctx) };
  const owned = ownedBy(live, ctx.owner.uid);
  const next = structuredClone(live);
  const changed: string[] = [];
  if (mergeMetadata(next, desired.object)) changed.push('metadata');
  switch (desired.reconcile.mode) {
    case 'create-only':
    case 'hook-job':
      break;
    case 'fields':
      for (const path of desired.reconcile.paths) {
        if (ctx.deferredPaths?.has(path)) continue;
        if (copyPath(next, desired.object, parsePath(path))) changed.push(path);
      }
      break;
    case 'pull-secrets':
      if (syncPullSecrets(next, desired.object)) changed.push('imagePullSecrets');
      break;
    case 'replace-spec':
      if (!semanticEqual(next.spec, desired.object.spec)) {
        next.spec = structuredClone(desired.object.spec);
        changed.push('spec');
      }
      break;
    case 'secret-add-missing-keys':
      // User-provided secrets (no owner reference of ours) are read-only: not even a missing key is added.
      if (owned && addMissingSecretKeys(next, desired.object)) changed.push('data');
      break;
    case 'imagestream-tags':
      if (syncImageStreamTags(next, desired.object)) changed.push('spec.tags');
      break;
  }
  if (changed.length === 0) return { action: 'none' };
  // Secrets we do not own are never written at all (labels included): user data is read-only.
  if (desired.object.kind === 'Secret' && !owned) return { action: 'none' };
  return { action: 'update', body: next, changed };
}

function creationBody(desired: DesiredObject, ctx: PlanContext): KubeObject {
  const body = structuredClone(desired.object);
  body.metadata = { ...body.metadata, namespace: ctx.namespace };
  if (desired.ownerReference) body.metadata.ownerReferences = [ctx.owner];
  if (body.kind === 'Secret' && body.stringData && typeof body.stringData === 'object') {
    // Send data, not stringData: the server would convert anyway, and comparing later is on data.
    body.data = { ...encodeData(body.stringData as Record<string, string>), ...(body.data as Record<string, string> | undefined) };
    delete body.stringData;
  }
  return body;
}

/** The common mutator: desired metadata labels/annotations are added or overwritten, foreign keys kept. */
function mergeMetadata(live: KubeObject, desired: KubeObject): boolean {
  let changed = false;
  for (const field of ['labels', 'annotations'] as const) {
    const wanted = desired.metadata[field];
    if (!wanted) continue;
    const current = { ...(live.metadata[field] ?? {}) };
    for (const [key, value] of Object.entries(wanted)) {
      if (current[key] !== value) {
        current[key] = value;
        changed = true;
      }
    }
    live.metadata[field] = current;
  }
  return changed;
}

function encodeData(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
}

/** Desired secret keys (stringData or data) that the live secret lacks are added; existing keys are kept. */
function addMissingSecretKeys(live: KubeObject, desired: KubeObject): boolean {
  const wanted = {
    ...encodeData((desired.stringData as Record<string, string> | undefined) ?? {}),
    ...((desired.data as Record<string, string> | undefined) ?? {}),
  };
  const data = { ...((live.data as Record<string, string> | undefined) ?? {}) };
  let changed = false;
  for (const [key, value] of Object.entries(wanted)) {
    if (!(key in data)) {
      data[key] = value;
      changed = true;
    }
  }
  if (changed) live.data = data;
  return changed;
}

interface ImageStreamTag {
  name: string;
  from?: unknown;
  importPolicy?: unknown;
  [key: string]: unknown;
}

/** Per desired tag: add it when missing, else sync `from` and `importPolicy`. Extra tags are left alone. */
function syncImageStreamTags(live: KubeObject, desired: KubeObject): boolean {
  const desiredTags = (desired.spec as { tags?: ImageStreamTag[] } | undefined)?.tags ?? [];
  const spec = (live.spec ?? {}) as { tags?: ImageStreamTag[] };
  const tags = [...(spec.tags ?? [])];
  let changed = false;
  for (const tag of desiredTags) {
    const index = tags.findIndex((t) => t.name === tag.name);
    if (index < 0) {
      tags.push(structuredClone(tag));
      changed = true;
      continue;
    }
    const current = { ...tags[index] };
    for (const field of ['from', 'importPolicy'] as const) {
      if (!semanticEqual(current[field], tag[field])) {
        current[field] = structuredClone(tag[field]);
        changed = true;
      }
    }
    tags[index] = current;
  }
  if (changed) live.spec = { ...spec, tags };
  return changed;
}

type NameRef = { name?: string };
const PLATFORM_PULL_SECRET = /dockercfg-|token-/;

/** The desired pull secrets, in order, followed by the ones the platform added; true when that changed the list. */
function syncPullSecrets(live: KubeObject, desired: KubeObject): boolean {
  const wanted = (desired.imagePullSecrets as NameRef[] | undefined) ?? [];
  const current = (live.imagePullSecrets as NameRef[] | undefined) ?? [];
  const platform = current.filter((ref) => PLATFORM_PULL_SECRET.test(ref.name ?? ''));
  const next = [...wanted, ...platform];
  if (semanticEqual(current, next)) return false;
  live.imagePullSecrets = structuredClone(next);
  return true;
}
