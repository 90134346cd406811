// ActiveDoc: an OpenAPI document on the developer portal, read from a Secret or a URL. A document that does not
// parse, or is not OpenAPI, is Invalid and nothing is written. Found by id in status, else by system_name.
import type { ActiveDocSpec } from '../api/kinds.js';
import { paths } from '../threescale/paths.js';
import type { ApiDoc, Service } from '../threescale/types.js';
import { changedFields } from '../sync/collection.js';
import { deleteIfCreated } from '../sync/cleanup.js';
import { systemNameFrom, type CapabilityReconciler, type CleanupEnv, type SyncEnv, type SyncResult } from '../sync/env.js';
import { fetchDocument, onlyValue, parseDocument, type Loaded } from '../openapi-document.js';

export interface ActiveDocStatus {
  activeDocId?: number;
  created?: boolean;
}
type Env = SyncEnv<ActiveDocSpec, ActiveDocStatus>;

async function loadBody(env: Env): Promise<Loaded> {
  const ref = env.cr.spec.activeDocOpenAPIRef;
  if (ref.url) return fetchDocument(ref.url);
  const name = ref.secretRef?.name ?? '';
  const value = onlyValue(env.secret(name), `Secret ${name}`);
  return value.ok ? parseDocument(value.text, `Secret ${name}`) : value;
}

async function syncActiveDoc(env: Env): Promise<SyncResult<ActiveDocStatus>> {
  const { cr, client, writes } = env;
  const loaded = await loadBody(env);
  if (!loaded.ok) return { outcome: 'invalid', problems: [{ path: 'spec.activeDocOpenAPIRef', reason: loaded.reason }] };
  let serviceId: number | undefined;
  if (cr.spec.productSystemName) {
    serviceId = (await client.list<Service>(paths.services, 'services', 'service')).find(
      (s) => s.system_name === cr.spec.productSystemName,
    )?.id;
    if (serviceId === undefined)
      return {
        outcome: 'invalid',
        problems: [{ path: 'spec.productSystemName', reason: `no product "${cr.spec.productSystemName}" in 3scale` }],
      };
  }
  const systemName = cr.spec.systemName ?? systemNameFrom(cr.spec.name);
  const body = JSON.stringify(loaded.document);
  const fields = {
    name: cr.spec.name,
    body,
    description: cr.spec.description ?? '',
    published: cr.spec.published ?? false,
    skip_swagger_validations: cr.spec.skipSwaggerValidations ?? false,
    ...(serviceId !== undefined ? { service_id: serviceId } : {}),
  };
  const docs = await client.list<ApiDoc>(paths.activeDocs, 'api_docs', 'api_doc');
  let doc = docs.find((d) => d.id === cr.status?.activeDocId) ?? docs.find((d) => d.system_name === systemName);
  if (!doc) {
    doc = await client.create<ApiDoc>(paths.activeDocs, 'api_doc', { ...fields, system_name: systemName });
    writes.add({ verb: 'created', what: `ActiveDoc ${systemName}` });
    await env.saveStatus({ activeDocId: doc.id, created: true });
  } else if (doc.id !== cr.status?.activeDocId) {
    writes.add({ verb: 'adopted', what: `ActiveDoc ${systemName} (id ${doc.id})` });
    await env.saveStatus({ activeDocId: doc.id, created: false });
  }
  // The body is compared as JSON: 3scale may store it re-serialised.
  const { body: _body, ...rest } = fields;
  const changed = changedFields(rest, doc);
  if (!sameJson(doc.body, body)) changed.body = body;
  if (Object.keys(changed).length > 0) {
    await client.update(paths.activeDoc(doc.id), 'api_doc', changed);
    writes.add({ verb: 'updated', what: `ActiveDoc ${systemName}`, fields: Object.keys(changed) });
  }
  return { outcome: 'synced', status: { activeDocId: doc.id } };
}

function sameJson(stored: unknown, wanted: string): boolean {
  if (typeof stored !== 'string') return false;
  try {
    return JSON.stringify(JSON.parse(stored)) === wanted;
  } catch {
    return false;
  }
}

async function cleanupActiveDoc(env: CleanupEnv<ActiveDocSpec, ActiveDocStatus>): Promise<void> {
  const { activeDocId: id, created } = env.cr.status ?? {};
  await deleteIfCreated(env.client, env.writes, { id, created, path: paths.activeDoc, what: `ActiveDoc ${env.cr.spec.name}` });
}

export const activeDocReconciler: CapabilityReconciler<ActiveDocSpec, ActiveDocStatus> = {
  kind: 'ActiveDoc',
  dependsOn: ['Product'],
  sync: syncActiveDoc,
  cleanup: cleanupActiveDoc,
};
