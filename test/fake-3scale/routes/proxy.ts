/**
 * A product's proxy (its gateway settings), created with the product with
 * porta's defaults, read and changed by GET/PATCH (PUT too).
 * As porta's ProxiesController does, a successful update also deploys to
 * staging (a new staging proxy config version when the content changed).
 */
import { randomBytes } from 'node:crypto';
import { unwrap, type Fields } from '../body.js';
import { defined, integer, oneOf, text } from '../fields.js';
import { deployToStaging } from '../proxy-config.js';
import { created, FieldErrors, ok } from '../reply.js';
import { found, idParam, type AdminContext, type FakeSettings, type Router } from '../router.js';
import type { ProxyRow, ServiceRow, Tenant } from '../state.js';
import { withExplicitPort } from '../urls.js';
import { checkEndpoint } from './backends.js';

const PLAIN = 'text/plain; charset=us-ascii';

export function defaultProxy(
  settings: FakeSettings,
  tenant: Tenant,
  service: ServiceRow,
): Omit<ProxyRow, 'id' | 'created_at' | 'updated_at'> {
  const host = (env: string) => `https://${service.system_name.replace(/_/g, '-')}-${tenant.id}.${env}.${settings.gatewayDomain}:443`;
  return {
    service_id: service.id,
    endpoint: host('production'),
    sandbox_endpoint: host('staging'),
    api_backend: null,
    credentials_location: 'query',
    auth_app_key: 'app_key',
    auth_app_id: 'app_id',
    auth_user_key: 'user_key',
    error_auth_failed: 'Authentication failed',
    error_auth_missing: 'Authentication parameters missing',
    error_no_match: 'No Mapping Rule matched',
    error_limits_exceeded: 'Usage limit exceeded',
    error_status_auth_failed: 403,
    error_status_auth_missing: 403,
    error_status_no_match: 404,
    error_status_limits_exceeded: 429,
    error_headers_auth_failed: PLAIN,
    error_headers_auth_missing: PLAIN,
    error_headers_no_match: PLAIN,
    error_headers_limits_exceeded: PLAIN,
    secret_token: `Shared_secret_sent_from_proxy_to_API_backend_${randomBytes(8).toString('hex')}`,
    hostname_rewrite: null,
    oidc_issuer_endpoint: null,
    oidc_issuer_type: 'keycloak',
    jwt_claim_with_client_id: null,
    jwt_claim_with_client_id_type: null,
    lock_version: 0,
  };
}

export function presentProxy(row: ProxyRow) {
  const { id: _id, ...fields } = row;
  return { ...fields, links: [] };
}

const STRING_FIELDS = [
  'error_auth_failed',
  'error_auth_missing',
  'error_no_match',
  'error_limits_exceeded',
  'error_headers_auth_failed',
  'error_headers_auth_missing',
  'error_headers_no_match',
  'error_headers_limits_exceeded',
  'auth_app_key',
  'auth_app_id',
  'auth_user_key',
  'secret_token',
  'hostname_rewrite',
  'oidc_issuer_endpoint',
  'oidc_issuer_type',
  'jwt_claim_with_client_id',
] as const;
const STATUS_FIELDS = [
  'error_status_auth_failed',
  'error_status_auth_missing',
  'error_status_no_match',
  'error_status_limits_exceeded',
] as const;

function readProxy(body: Fields): Partial<ProxyRow> {
  const errors = new FieldErrors();
  const fields: Partial<Record<keyof ProxyRow, unknown>> = {};
  for (const key of STRING_FIELDS) fields[key] = text(body, key);
  // porta: parameter names and the secret are word characters and dashes only.
  for (const key of ['auth_app_key', 'auth_app_id', 'auth_user_key', 'secret_token'] as const) {
    const value = fields[key];
    if (typeof value === 'string' && !/^[\w-]+$/.test(value)) errors.add(key, 'is invalid');
  }
  for (const key of STATUS_FIELDS) {
    const status = integer(body, key, errors);
    if (status !== undefined && (status < 200 || status >= 600))
      errors.add(key, status < 200 ? 'must be greater than or equal to 200' : 'must be less than 600');
    fields[key] = status;
  }
  for (const key of ['endpoint', 'sandbox_endpoint', 'api_backend'] as const) {
    const value = text(body, key);
    checkEndpoint(errors, key, value, false);
    // porta adds the port to the gateway endpoints, not to api_backend.
    fields[key] = value && key !== 'api_backend' ? withExplicitPort(value) : value;
  }
  fields.credentials_location = oneOf(body, 'credentials_location', ['headers', 'query', 'authorization'], errors);
  fields.jwt_claim_with_client_id_type = oneOf(body, 'jwt_claim_with_client_id_type', ['plain', 'liquid'], errors);
  errors.throwIfAny();
  return defined(fields) as Partial<ProxyRow>;
}

export function proxyOf(tenant: Tenant, serviceId: number): ProxyRow {
  return found(tenant.proxies.find((p) => p.service_id === serviceId));
}

export function addProxyRoutes(router: Router<AdminContext>): void {
  const serviceOf = (c: AdminContext) => found(c.tenant.services.get(idParam(c, 'service_id')));
  const update = (c: AdminContext) => {
    const service = serviceOf(c);
    const proxy = proxyOf(c.tenant, service.id);
    const fields = readProxy(unwrap(c.body, 'proxy'));
    const row = c.tenant.proxies.update(proxy.id, { ...fields, lock_version: proxy.lock_version + 1 });
    deployToStaging(c.tenant, service, c.settings);
    return ok({ proxy: presentProxy(row) });
  };
  router
    .add('GET', '/admin/api/services/:service_id/proxy.json', (c) => ok({ proxy: presentProxy(proxyOf(c.tenant, serviceOf(c).id)) }))
    .add('PATCH', '/admin/api/services/:service_id/proxy.json', update)
    .add('PUT', '/admin/api/services/:service_id/proxy.json', update)
    .add('POST', '/admin/api/services/:service_id/proxy/deploy.json', (c) => {
      const service = serviceOf(c);
      deployToStaging(c.tenant, service, c.settings);
      return created({ proxy: presentProxy(proxyOf(c.tenant, service.id)) });
    });
}
