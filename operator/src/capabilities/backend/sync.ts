// Backend: finds its 3scale backend API (by the id in status, else by system_name, adopting one that exists),
// creates it when missing, then makes its fields, metrics, methods and mapping rules equal to the CR.
import type { FieldError } from '../../model/types.js';
import type { BackendSpec } from '../api/kinds.js';
import { ThreescaleApiError } from '../threescale/errors.js';
import { paths } from '../threescale/paths.js';
import type { BackendApi } from '../threescale/types.js';
import { changedFields } from '../sync/collection.js';
import { deleteIfCreated } from '../sync/cleanup.js';
import { systemNameFrom, type CapabilityReconciler, type CleanupEnv, type SyncEnv, type SyncResult } from '../sync/env.js';
import { syncMetricsAndRules, validateMetrics } from '../sync/metrics.js';

export interface BackendStatus {
  backendId?: number;
  created?: boolean;
  providerAccountHost?: string;
}

export const backendSystemName = (spec: BackendSpec): string => spec.systemName ?? systemNameFrom(spec.name);

export function validateBackend(spec: BackendSpec, sameNameCrs: string[]): FieldError[] {
  const problems = validateMetrics(spec);
  if (sameNameCrs.length > 0)
    problems.push({ path: 'spec.systemName', reason: `"${backendSystemName(spec)}" is already used by Backend ${sameNameCrs.join(', ')}` });
  return problems;
}

/** Other Backend CRs of the same account that claim this system name and are older (the older one keeps it). */
export function olderClaimants(env: SyncEnv<BackendSpec, BackendStatus>): string[] {
  const name = backendSystemName(env.cr.spec);
  const mine = env.cr.metadata.creationTimestamp ?? '';
  return env
    .list<BackendSpec, BackendStatus>('Backend')
    .filter((other) => other.metadata.name !== env.cr.metadata.name && backendSystemName(other.spec) === name)
    .filter((other) => (other.spec.providerAccountRef?.name ?? '') === (env.cr.spec.providerAccountRef?.name ?? ''))
    .filter(
      (other) =>
        (other.metadata.creationTimestamp ?? '') < mine ||
        ((other.metadata.creationTimestamp ?? '') === mine && other.metadata.name < env.cr.metadata.name),
    )
    .map((other) => other.metadata.name);
}

async function findOrCreate(env: SyncEnv<BackendSpec, BackendStatus>): Promise<BackendApi> {
  const { client, cr, writes } = env;
  const id = cr.status?.backendId;
  if (id !== undefined) {
    try {
      return (await client.get<{ backend_api: BackendApi }>(paths.backend(id))).backend_api;
    } catch (error) {
      if (!(error instanceof ThreescaleApiError && error.notFound)) throw error;
      // Deleted in 3scale behind the CR: the CR is the source of truth, so it is made again below.
    }
  }
  const systemName = backendSystemName(cr.spec);
  const existing = (await client.list<BackendApi>(paths.backends, 'backend_apis', 'backend_api')).find((b) => b.system_name === systemName);
  if (existing) {
    const created = id !== undefined && existing.id === id ? (cr.status?.created ?? false) : false;
    if (existing.id !== id) writes.add({ verb: 'adopted', what: `backend ${systemName} (id ${existing.id})` });
    await env.saveStatus({ backendId: existing.id, created });
    return existing;
  }
  const made = await client.create<BackendApi>(paths.backends, 'backend_api', {
    name: cr.spec.name,
    system_name: systemName,
    private_endpoint: cr.spec.privateBaseURL,
    description: cr.spec.description,
  });
  writes.add({ verb: 'created', what: `backend ${systemName}` });
  await env.saveStatus({ backendId: made.id, created: true });
  return made;
}

async function syncBackend(env: SyncEnv<BackendSpec, BackendStatus>): Promise<SyncResult<BackendStatus>> {
  const { client, cr, writes } = env;
  const problems = validateBackend(cr.spec, olderClaimants(env));
  if (problems.length > 0) return { outcome: 'invalid', problems };
  const backend = await findOrCreate(env);
  const fields = changedFields(
    { name: cr.spec.name, private_endpoint: cr.spec.privateBaseURL, description: cr.spec.description ?? '' },
    backend,
  );
  if (Object.keys(fields).length > 0) {
    await client.update(paths.backend(backend.id), 'backend_api', fields);
    writes.add({ verb: 'updated', what: `backend ${backend.system_name}`, fields: Object.keys(fields) });
  }
  await syncMetricsAndRules(
    client,
    {
      metrics: paths.backendMetrics(backend.id),
      metric: paths.backendMetric(backend.id),
      methods: (hits) => paths.backendMethods(backend.id, hits),
      method: (hits) => paths.backendMethod(backend.id, hits),
      rules: paths.backendRules(backend.id),
      rule: paths.backendRule(backend.id),
      suffix: `.${backend.id}`,
    },
    cr.spec,
    writes,
  );
  return { outcome: 'synced', status: { backendId: backend.id } };
}

async function cleanupBackend(env: CleanupEnv<BackendSpec, BackendStatus>): Promise<void> {
  const { backendId: id, created } = env.cr.status ?? {};
  await deleteIfCreated(env.client, env.writes, { id, created, path: paths.backend, what: `backend ${backendSystemName(env.cr.spec)}` });
}

export const backendReconciler: CapabilityReconciler<BackendSpec, BackendStatus> = {
  kind: 'Backend',
  sync: syncBackend,
  cleanup: cleanupBackend,
};
