// What a kind's sync function gets, and what it answers. The runner (../runner/) turns the answer into status
// conditions and Events; sync functions only read the CR, talk to 3scale and say what happened.
import type { KubeObject } from '../../controller/desired.js';
import type { KubeClient } from '../../controller/kube/client.js';
import type { FieldError } from '../../model/types.js';
import type { PortalAccess, ThreescaleClient } from '../threescale/client.js';
import type { WriteLog } from './writes.js';

export interface CapabilityObject<Spec = Record<string, unknown>, Status = Record<string, unknown>> extends KubeObject {
  spec: Spec;
  status?: Status;
}

export interface SyncEnv<Spec, Status> {
  cr: CapabilityObject<Spec, Status>;
  client: ThreescaleClient;
  writes: WriteLog;
  /** Another CR of this namespace from the cache. */
  find: <S, T>(kind: string, name: string) => CapabilityObject<S, T> | undefined;
  list: <S, T>(kind: string) => CapabilityObject<S, T>[];
  /** Decoded data of a Secret (this namespace unless named). */
  secret: (name: string, namespace?: string) => Readonly<Partial<Record<string, string>>> | undefined;
  configMap: (name: string) => Readonly<Partial<Record<string, string>>> | undefined;
  kube: KubeClient;
  /** Persists ids at once (before the rest of the pass), so a failure later never leads to a second create. */
  saveStatus: (fields: Partial<Status>) => Promise<void>;
}

export type SyncResult<Status> =
  | { outcome: 'synced'; status: Partial<Status>; message?: string }
  /** The spec is wrong: nothing was written. */
  | { outcome: 'invalid'; problems: FieldError[] }
  /** A CR this one needs is missing or not synced yet: nothing was written; its sync re-triggers this one. */
  | { outcome: 'orphan'; reason: string; message: string }
  /** Done, and the runner should delete the CR (ProxyConfigPromote deleteCR). */
  | { outcome: 'done-delete'; status: Partial<Status> };

export type CleanupEnv<Spec, Status> = Omit<SyncEnv<Spec, Status>, 'saveStatus'>;

/** One capabilities kind: its sync, and (when its CR owns a 3scale object) what deleting the CR removes. */
export interface CapabilityReconciler<Spec, Status> {
  kind: string;
  /** The kinds whose changes should re-run this kind's CRs (a Product waits for its Backends). */
  dependsOn?: string[];
  sync: (env: SyncEnv<Spec, Status>) => Promise<SyncResult<Status>>;
  /** Where the credentials are, when not providerAccountRef (Tenant: the master token). */
  credentials?: (
    cr: CapabilityObject<Spec, Status>,
    secret: (name: string, namespace?: string) => Readonly<Partial<Record<string, string>>> | undefined,
  ) => { ok: true; access: PortalAccess } | { ok: false; error: FieldError };
  /** Deletes the 3scale object this CR created; absent = deleting the CR leaves 3scale as it is. */
  cleanup?: (env: CleanupEnv<Spec, Status>) => Promise<void>;
}

/**
 * system_name as 3scale derives it from a name when none is given (Rails' `parameterize.underscore`: lower
 * case, runs of other characters as one separator, then `_`): "Pets API" → "pets_api".
 */
export function systemNameFrom(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '')
    .replace(/-/g, '_');
}
