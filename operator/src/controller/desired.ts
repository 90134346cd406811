// The contract between the builders and the controller (operator/ARCHITECTURE.md, "DesiredObject"). Declared
// structurally here so the controller compiles on its own; the builders' objects satisfy it.

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    creationTimestamp?: string;
    deletionTimestamp?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export type Reconcile =
  | { mode: 'create-only' }
  | { mode: 'fields'; paths: string[] }
  | { mode: 'secret-add-missing-keys' }
  | { mode: 'imagestream-tags' }
  | { mode: 'replace-spec' }
  | { mode: 'hook-job'; phase: 'pre' | 'post'; workload: string };

export interface DesiredObject<T extends KubeObject = KubeObject> {
  object: T;
  reconcile: Reconcile;
  ownerReference: boolean;
}

export interface ObjectRef { apiVersion: string; kind: string; name: string }

export interface Finding { path?: string; secret?: string; key?: string; reason: string }

export interface BuildResult {
  objects: DesiredObject[];
  absent: ObjectRef[];
  findings: Finding[];
}
