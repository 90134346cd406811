// What builders return: each object plus, as data, what the reconciler owns after creation (operator.md §2.4).
import type { NamedMeta } from './openshift-types.js';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: NamedMeta;
  [field: string]: unknown;
}

export type Reconcile =
  /** Created when missing; afterwards only the labels/annotations merge. */
  | { mode: 'create-only' }
  /** After creation only these dotted paths (`[*]` = every element, `[0]` = first) are kept in sync. */
  | { mode: 'fields'; paths: string[] }
  /** Operator-created Secret: missing keys are added, existing keys never changed or removed. */
  | { mode: 'secret-add-missing-keys' }
  /** Per desired tag: add if missing, else sync `from` and `importPolicy`; other tags untouched. */
  | { mode: 'imagestream-tags' }
  /** ServiceAccount: `imagePullSecrets` follow the desired list; entries OpenShift adds (`*-dockercfg-*`, `*-token-*`) stay. */
  | { mode: 'pull-secrets' }
  /** Whole `spec` replaced (PodDisruptionBudgets). */
  | { mode: 'replace-spec' }
  /** kubernetes flavour: a DC hook turned into a Job; `pre` completes before the workload's template changes. */
  | { mode: 'hook-job'; phase: 'pre' | 'post'; workload: string };

export interface DesiredObject<T extends KubeObject = KubeObject> {
  object: T;
  reconcile: Reconcile;
  /** False for PVCs: they never get an owner reference and survive the CR's deletion. */
  ownerReference: boolean;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
}

export interface Finding {
  /** Where the problem is: `secret`, or a CR field path. */
  secret?: string;
  key?: string;
  field?: string;
  reason: string;
}

export interface BuildResult {
  objects: DesiredObject[];
  /** Objects to delete when present (feature switched off). */
  absent: ObjectRef[];
  findings: Finding[];
}

/**
 * Builders share constant fragments (env lists, probes); each desired object gets its own deep copy so that a
 * consumer mutating one object (a reconciler, a template adapter) cannot change another, and YAML output has
 * no aliases.
 */
export function desired<T extends KubeObject>(object: T, reconcile: Reconcile, ownerReference = true): DesiredObject<T> {
  return { object: structuredClone(object), reconcile, ownerReference };
}

export const createOnly = { mode: 'create-only' } as const;
