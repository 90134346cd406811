// ApplicationAuth: an application's credentials kept in a Secret. User-key products (backend_version 1) read key
// UserKey, the others ApplicationKey. With generateSecret a missing key is generated (CSPRNG) and added to the
// Secret, which is created if absent; a key already in the Secret is never overwritten. 3scale then gets the key:
// the application's user_key is set, or the key is added to its application keys.
import { randomBytes } from 'node:crypto';
import type { ApplicationAuthSpec, ApplicationSpec } from '../api/kinds.js';
import { paths } from '../threescale/paths.js';
import type { Application, Service } from '../threescale/types.js';
import type { CapabilityReconciler, SyncEnv, SyncResult } from '../sync/env.js';
import type { ApplicationStatus } from '../application/sync.js';
import type { ProductStatus } from '../product/sync.js';

type Env = SyncEnv<ApplicationAuthSpec, Record<string, unknown>>;
const generateKey = (): string => randomBytes(16).toString('hex');

/** The key the Secret holds (or now holds, generated), or why there is none. */
async function secretKey(
  env: Env,
  keyName: 'UserKey' | 'ApplicationKey',
): Promise<{ ok: true; value: string } | { ok: false; reason: string }> {
  const { cr, kube } = env;
  const name = cr.spec.authSecretRef.name;
  const namespace = cr.metadata.namespace ?? 'default';
  const data = env.secret(name);
  const present = data?.[keyName];
  if (present) return { ok: true, value: present };
  if (!cr.spec.generateSecret)
    return {
      ok: false,
      reason: data
        ? `Secret ${name} has no key ${keyName} (or set generateSecret)`
        : `Secret ${name} does not exist (or set generateSecret)`,
    };
  const value = generateKey();
  const encoded = Buffer.from(value).toString('base64');
  if (data) await kube.mergePatch('v1', 'Secret', namespace, name, { data: { [keyName]: encoded } });
  else await kube.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', data: { [keyName]: encoded } });
  env.writes.add({ verb: 'created', what: `${keyName} in Secret ${name}` });
  return { ok: true, value };
}

async function syncAuth(env: Env): Promise<SyncResult<Record<string, unknown>>> {
  const { cr, client, writes } = env;
  const appCr = env.find<ApplicationSpec, ApplicationStatus>('Application', cr.spec.applicationCRName);
  if (!appCr)
    return {
      outcome: 'orphan',
      reason: 'ApplicationNotFound',
      message: `spec.applicationCRName: no Application ${cr.spec.applicationCRName} in this namespace`,
    };
  const { id, accountID } = appCr.status ?? {};
  if (id === undefined || accountID === undefined)
    return { outcome: 'orphan', reason: 'ApplicationNotSynced', message: `waiting for Application ${appCr.metadata.name} to sync` };
  const productId = env.find<unknown, ProductStatus>('Product', appCr.spec.productCR.name)?.status?.productId;
  if (productId === undefined)
    return { outcome: 'orphan', reason: 'ProductNotSynced', message: `waiting for Product ${appCr.spec.productCR.name} to sync` };

  const service = (await client.get<{ service: Service }>(paths.service(productId))).service;
  const userKeyMode = (service.backend_version ?? '1') === '1';
  const key = await secretKey(env, userKeyMode ? 'UserKey' : 'ApplicationKey');
  if (!key.ok) return { outcome: 'invalid', problems: [{ path: 'spec.authSecretRef', reason: key.reason }] };

  if (userKeyMode) {
    const app = (await client.get<{ application: Application }>(paths.application(accountID, id))).application;
    if (app.user_key !== key.value) {
      await client.update(paths.application(accountID, id), 'application', { user_key: key.value });
      writes.add({ verb: 'updated', what: `application ${appCr.spec.name}`, fields: ['user_key'] });
    }
  } else {
    const answer = await client.get<Record<string, unknown>>(paths.applicationKeys(accountID, id));
    if (!keysOf(answer).includes(key.value)) {
      await client.action('POST', paths.applicationKeys(accountID, id), { key: key.value });
      writes.add({ verb: 'created', what: `application key of ${appCr.spec.name}` });
    }
  }
  return { outcome: 'synced', status: {} };
}

/** Application keys come as {"keys":[{"key":{"value":"…"}}]} (older answers: {"application":{"keys":[…]}}). */
export function keysOf(answer: Record<string, unknown>): string[] {
  const list = (
    Array.isArray(answer.keys) ? answer.keys : ((answer.application as { keys?: unknown[] } | undefined)?.keys ?? [])
  ) as unknown[];
  return list.map((entry) => {
    if (typeof entry === 'string') return entry;
    const record = entry as { key?: { value?: string } | string; value?: string };
    return typeof record.key === 'string' ? record.key : (record.key?.value ?? record.value ?? '');
  });
}

export const applicationAuthReconciler: CapabilityReconciler<ApplicationAuthSpec, Record<string, unknown>> = {
  kind: 'ApplicationAuth',
  dependsOn: ['Application'],
  sync: syncAuth,
};
