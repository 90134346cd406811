// The builders' contract (operator/ARCHITECTURE.md, "DesiredObject"), re-exported with the live-object view the
// controller needs (server-populated metadata).
export type { DesiredObject, Reconcile, ObjectRef, Finding, BuildResult } from '../components/common/desired.js';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** An object as the API server returns it. */
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
  };
  [key: string]: unknown;
}
