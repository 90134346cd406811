/**
 * A product's policy chain and its OIDC configuration. PUT policies takes
 * `policies_config` as a JSON string (what form clients send) or an array.
 */
import { unwrap } from '../body.js';
import { defined, flag } from '../fields.js';
import { FieldErrors, invalid, ok } from '../reply.js';
import { found, idParam, type AdminContext, type Router } from '../router.js';
import { APICAST_POLICY, type OidcConfigurationRow, type PolicyEntry } from '../state.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * porta's PoliciesConfig: a JSON string or an array of entries, each with a
 * name, a version and a configuration object (`{}` is fine, missing is not);
 * `enabled` kept as sent; the default `apicast` entry appended when the chain
 * has none.
 */
export function parseChain(raw: unknown): PolicyEntry[] {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw invalid({ policies_config: ['Base invalid format'] });
    }
  }
  if (value === undefined || value === null || value === '') value = [];
  if (!Array.isArray(value)) throw invalid({ policies_config: ['Base invalid format'] });
  const chain = value.map((entry: unknown, index) => {
    const problem = (what: string) => invalid({ policies_config: [`${what} (entry ${index})`] });
    if (!isObject(entry)) throw problem('Base invalid format');
    if (typeof entry.name !== 'string' || entry.name === '') throw problem("Name can't be blank");
    if (typeof entry.version !== 'string' || entry.version === '') throw problem("Version can't be blank");
    if (!isObject(entry.configuration)) throw problem("Configuration can't be blank");
    const enabled = entry.enabled === undefined || entry.enabled === null ? undefined : entry.enabled === true || entry.enabled === 'true';
    return { name: entry.name, version: entry.version, configuration: entry.configuration, ...(enabled === undefined ? {} : { enabled }) };
  });
  if (!chain.some((p) => p.name === APICAST_POLICY.name)) chain.push({ ...APICAST_POLICY });
  return chain;
}

export function presentOidc(row: OidcConfigurationRow) {
  return {
    id: row.id,
    standard_flow_enabled: row.standard_flow_enabled,
    implicit_flow_enabled: row.implicit_flow_enabled,
    service_accounts_enabled: row.service_accounts_enabled,
    direct_access_grants_enabled: row.direct_access_grants_enabled,
  };
}

export function addPolicyRoutes(router: Router<AdminContext>): void {
  const chainOf = (c: AdminContext) => {
    const service = found(c.tenant.services.get(idParam(c, 'service_id')));
    return found(c.tenant.policyChains.find((p) => p.service_id === service.id));
  };
  const oidcOf = (c: AdminContext) => {
    const service = found(c.tenant.services.get(idParam(c, 'service_id')));
    return found(c.tenant.oidcConfigurations.find((o) => o.service_id === service.id));
  };
  const updateOidc = (c: AdminContext) => {
    const row = oidcOf(c);
    const body = unwrap(c.body, 'oidc_configuration');
    const errors = new FieldErrors();
    const fields = defined({
      standard_flow_enabled: flag(body, 'standard_flow_enabled', errors),
      implicit_flow_enabled: flag(body, 'implicit_flow_enabled', errors),
      service_accounts_enabled: flag(body, 'service_accounts_enabled', errors),
      direct_access_grants_enabled: flag(body, 'direct_access_grants_enabled', errors),
    });
    errors.throwIfAny();
    return ok({ oidc_configuration: presentOidc(c.tenant.oidcConfigurations.update(row.id, fields)) });
  };
  router
    .add('GET', '/admin/api/services/:service_id/proxy/policies.json', (c) => ok({ policies_config: chainOf(c).chain }))
    .add('PUT', '/admin/api/services/:service_id/proxy/policies.json', (c) => {
      const row = chainOf(c);
      const chain = parseChain(unwrap(c.body, 'proxy').policies_config);
      return ok({ policies_config: c.tenant.policyChains.update(row.id, { chain }).chain });
    })
    .add('GET', '/admin/api/services/:service_id/proxy/oidc_configuration.json', (c) => ok({ oidc_configuration: presentOidc(oidcOf(c)) }))
    .add('PATCH', '/admin/api/services/:service_id/proxy/oidc_configuration.json', updateOidc)
    .add('PUT', '/admin/api/services/:service_id/proxy/oidc_configuration.json', updateOidc);
}
