/**
 * A product's policy chain and its OIDC configuration. PUT policies takes
 * `policies_config` as a JSON string (what form clients send) or an array;
 * each entry needs a name, a version, a configuration object and `enabled`.
 */
import { unwrap } from '../body.js';
import { defined, flag } from '../fields.js';
import { FieldErrors, invalid, ok } from '../reply.js';
import { found, idParam, type AdminContext, type Router } from '../router.js';
import type { OidcConfigurationRow, PolicyEntry } from '../state.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseChain(raw: unknown): PolicyEntry[] {
  let value = raw;
  if (typeof raw === 'string') {
    try { value = JSON.parse(raw); } catch { throw invalid({ policies_config: ['is not valid JSON'] }); }
  }
  if (!Array.isArray(value)) throw invalid({ policies_config: ["can't be blank"] });
  return value.map((entry: unknown, index) => {
    const problem = (what: string) => invalid({ policies_config: [`entry ${index}: ${what}`] });
    if (!isObject(entry)) throw problem('is not an object');
    if (typeof entry.name !== 'string' || entry.name === '') throw problem("name can't be blank");
    if (typeof entry.version !== 'string' || entry.version === '') throw problem("version can't be blank");
    const configuration = entry.configuration ?? {};
    if (!isObject(configuration)) throw problem('configuration is not an object');
    const enabled = entry.enabled === undefined ? true : entry.enabled === true || entry.enabled === 'true';
    return { name: entry.name, version: entry.version, configuration, enabled };
  });
}

function presentOidc(row: OidcConfigurationRow): Record<string, unknown> {
  return {
    id: row.id, standard_flow_enabled: row.standard_flow_enabled, implicit_flow_enabled: row.implicit_flow_enabled,
    service_accounts_enabled: row.service_accounts_enabled, direct_access_grants_enabled: row.direct_access_grants_enabled,
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
      standard_flow_enabled: flag(body, 'standard_flow_enabled', errors), implicit_flow_enabled: flag(body, 'implicit_flow_enabled', errors),
      service_accounts_enabled: flag(body, 'service_accounts_enabled', errors), direct_access_grants_enabled: flag(body, 'direct_access_grants_enabled', errors),
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
