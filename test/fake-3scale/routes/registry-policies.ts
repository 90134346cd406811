/**
 * Custom policies of the tenant's registry: name, version and schema
 * required, schema a JSON object (sent as a JSON string or an object),
 * (name, version) unique (422 on version).
 */
import { unwrap, type Fields } from '../body.js';
import { defined, text, checked } from '../fields.js';
import { listOf, paginate } from '../paging.js';
import { created, deleted, FieldErrors, ok } from '../reply.js';
import { found, idParam, type AdminContext, type Router } from '../router.js';
import type { RegistryPolicyRow, Tenant } from '../state.js';

export function presentPolicy(row: RegistryPolicyRow) {
  return { id: row.id, name: row.name, version: row.version, schema: row.schema, created_at: row.created_at, updated_at: row.updated_at };
}

function readSchema(errors: FieldErrors, raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      errors.add('schema', 'is not valid JSON');
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.add('schema', 'is not a JSON object');
    return undefined;
  }
  return value as Record<string, unknown>;
}

function readPolicy(tenant: Tenant, body: Fields, existing: RegistryPolicyRow | undefined): Partial<RegistryPolicyRow> {
  const errors = new FieldErrors();
  const name = text(body, 'name');
  const version = text(body, 'version');
  const schema = readSchema(errors, body.schema);
  if (existing === undefined) {
    if (!name) errors.add('name', "can't be blank");
    if (!version) errors.add('version', "can't be blank");
    if (!schema && errors.empty) errors.add('schema', "can't be blank");
  }
  const finalName = name ?? existing?.name;
  const finalVersion = version ?? existing?.version;
  if (tenant.registryPolicies.find((p) => p.name === finalName && p.version === finalVersion && p.id !== existing?.id)) {
    errors.add('version', 'has already been taken');
  }
  errors.throwIfAny();
  return defined({ name, version, schema });
}

export function addRegistryPolicyRoutes(router: Router<AdminContext>): void {
  const policyOf = (c: AdminContext) => found(c.tenant.registryPolicies.get(idParam(c, 'policy_id')));
  router
    .add('GET', '/admin/api/registry/policies.json', (c) =>
      ok(listOf('policies', 'policy', paginate(c.tenant.registryPolicies.all(), c.query).map(presentPolicy))),
    )
    .add('POST', '/admin/api/registry/policies.json', (c) => {
      const fields = readPolicy(c.tenant, unwrap(c.body, 'policy'), undefined);
      return created({
        policy: presentPolicy(
          c.tenant.registryPolicies.insert({
            name: checked(fields.name, 'name'),
            version: checked(fields.version, 'version'),
            schema: checked(fields.schema, 'schema'),
          }),
        ),
      });
    })
    .add('GET', '/admin/api/registry/policies/:policy_id.json', (c) => ok({ policy: presentPolicy(policyOf(c)) }))
    .add('PUT', '/admin/api/registry/policies/:policy_id.json', (c) => {
      const policy = policyOf(c);
      return ok({
        policy: presentPolicy(c.tenant.registryPolicies.update(policy.id, readPolicy(c.tenant, unwrap(c.body, 'policy'), policy))),
      });
    })
    .add('DELETE', '/admin/api/registry/policies/:policy_id.json', (c) => {
      c.tenant.registryPolicies.delete(policyOf(c).id);
      return deleted();
    });
}
