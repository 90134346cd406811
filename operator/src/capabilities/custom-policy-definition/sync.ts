// CustomPolicyDefinition: a custom policy's manifest in the account's policy registry, so a Product's policy chain
// can name it. Keyed by (name, version); the schema follows the CR.
import type { CustomPolicyDefinitionSpec } from '../api/kinds.js';
import { paths } from '../threescale/paths.js';
import type { RegistryPolicy } from '../threescale/types.js';
import { deleteIfCreated } from '../sync/cleanup.js';
import type { CapabilityReconciler, CleanupEnv, SyncEnv, SyncResult } from '../sync/env.js';
import { policiesEqual } from '../product/policies.js';

export interface PolicyDefinitionStatus {
  policyID?: number;
  created?: boolean;
}
type Env = SyncEnv<CustomPolicyDefinitionSpec, PolicyDefinitionStatus>;

const parsed = (schema: unknown): unknown => {
  if (typeof schema !== 'string') return schema;
  try {
    return JSON.parse(schema);
  } catch {
    return schema;
  }
};

async function syncDefinition(env: Env): Promise<SyncResult<PolicyDefinitionStatus>> {
  const { cr, client, writes } = env;
  if (cr.spec.schema.version !== cr.spec.version) {
    return { outcome: 'invalid', problems: [{ path: 'spec.schema.version', reason: `must equal spec.version (${cr.spec.version})` }] };
  }
  const schema = { $schema: 'http://apicast.io/policy-v1.1/schema#manifest#', ...cr.spec.schema };
  const policies = await client.list<RegistryPolicy>(paths.registryPolicies, 'policies', 'policy');
  let policy =
    policies.find((p) => p.id === cr.status?.policyID) ?? policies.find((p) => p.name === cr.spec.name && p.version === cr.spec.version);
  if (!policy) {
    policy = await client.create<RegistryPolicy>(paths.registryPolicies, 'policy', {
      name: cr.spec.name,
      version: cr.spec.version,
      schema: JSON.stringify(schema),
    });
    writes.add({ verb: 'created', what: `custom policy ${cr.spec.name} ${cr.spec.version}` });
    await env.saveStatus({ policyID: policy.id, created: true });
    return { outcome: 'synced', status: { policyID: policy.id } };
  }
  if (policy.id !== cr.status?.policyID) {
    writes.add({ verb: 'adopted', what: `custom policy ${cr.spec.name} ${cr.spec.version} (id ${policy.id})` });
    await env.saveStatus({ policyID: policy.id, created: false });
  }
  if (
    !policiesEqual([{ configuration: schema }], [{ configuration: parsed(policy.schema) }]) ||
    policy.name !== cr.spec.name ||
    policy.version !== cr.spec.version
  ) {
    await client.update(paths.registryPolicy(policy.id), 'policy', {
      name: cr.spec.name,
      version: cr.spec.version,
      schema: JSON.stringify(schema),
    });
    writes.add({ verb: 'updated', what: `custom policy ${cr.spec.name} ${cr.spec.version}`, fields: ['schema'] });
  }
  return { outcome: 'synced', status: { policyID: policy.id } };
}

async function cleanupDefinition(env: CleanupEnv<CustomPolicyDefinitionSpec, PolicyDefinitionStatus>): Promise<void> {
  const { policyID: id, created } = env.cr.status ?? {};
  await deleteIfCreated(env.client, env.writes, {
    id,
    created,
    path: paths.registryPolicy,
    what: `custom policy ${env.cr.spec.name} ${env.cr.spec.version}`,
  });
}

export const customPolicyDefinitionReconciler: CapabilityReconciler<CustomPolicyDefinitionSpec, PolicyDefinitionStatus> = {
  kind: 'CustomPolicyDefinition',
  sync: syncDefinition,
  cleanup: cleanupDefinition,
};
