// APIcast CR (already schema-valid) → ApicastModel (operator.md §7.1, §7.2).
import type { APIcast } from '../api/types.js';
import { APICAST_DEFAULTS } from '../api/defaults.js';
import type { ApicastModel, FieldError, Result } from './types.js';
import { type Env, resolveImage } from './images.js';

export const DEFAULT_APICAST_RESOURCES = { requests: { cpu: '500m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } };
export const EMBEDDED_CONFIG_PATH = '/tmp/gateway-configuration-volume/config.json';

export function toApicastModel(cr: APIcast, env: Env): Result<ApicastModel> {
  const s = cr.spec;
  const errors: FieldError[] = [];
  const admin = s.adminPortalCredentialsRef?.name;
  const embedded = s.embeddedConfigurationSecretRef?.name;
  if (s.adminPortalCredentialsRef !== undefined && (admin === undefined || admin === '')) {
    errors.push({ path: 'spec.adminPortalCredentialsRef.name', reason: "Field 'Name' not specified for AdminPortalCredentialsRef Secret Reference" });
  }
  if (s.embeddedConfigurationSecretRef !== undefined && (embedded === undefined || embedded === '')) {
    errors.push({ path: 'spec.embeddedConfigurationSecretRef.name', reason: "Field 'Name' not specified for EmbeddedConfigurationSecretRef Secret Reference" });
  }
  if (s.adminPortalCredentialsRef === undefined && s.embeddedConfigurationSecretRef === undefined) {
    errors.push({ path: 'spec.adminPortalCredentialsRef', reason: 'one of adminPortalCredentialsRef and embeddedConfigurationSecretRef is required' });
  }
  const seen = new Set<string>();
  (s.customPolicies ?? []).forEach((p, i) => {
    const id = `${p.name}/${p.version}`;
    if (seen.has(id)) errors.push({ path: `spec.customPolicies[${i}]`, reason: `duplicate policy ${id}` });
    seen.add(id);
    if (p.secretRef.name === undefined || p.secretRef.name === '') errors.push({ path: `spec.customPolicies[${i}].secretRef.name`, reason: 'must name a Secret' });
  });
  if (errors.length > 0) return { ok: false, errors };

  // Env order of operator.md §7.2; unset optional fields produce no env var.
  const envVars: { name: string; value: string }[] = [];
  const add = (name: string, value: string | number | boolean | undefined) => {
    if (value !== undefined) envVars.push({ name, value: String(value) });
  };
  add('THREESCALE_DEPLOYMENT_ENV', s.deploymentEnvironment);
  add('RESOLVER', s.dnsResolverAddress);
  add('APICAST_SERVICES_LIST', s.enabledServices !== undefined && s.enabledServices.length > 0 ? s.enabledServices.join(',') : undefined);
  add('APICAST_CONFIGURATION_LOADER', s.configurationLoadMode);
  add('APICAST_LOG_LEVEL', s.logLevel);
  add('APICAST_PATH_ROUTING', s.pathRoutingEnabled);
  add('APICAST_RESPONSE_CODES', s.responseCodesIncluded);
  add('APICAST_CONFIGURATION_CACHE', s.cacheConfigurationSeconds);
  add('APICAST_MANAGEMENT_API', s.managementAPIScope);
  add('OPENSSL_VERIFY', s.openSSLPeerVerificationEnabled);
  add('THREESCALE_CONFIG_FILE', embedded !== undefined ? EMBEDDED_CONFIG_PATH : undefined);
  add('APICAST_WORKERS', s.workers);

  return {
    ok: true,
    value: {
      name: cr.metadata.name,
      ...(cr.metadata.namespace !== undefined ? { namespace: cr.metadata.namespace } : {}),
      replicas: s.replicas ?? APICAST_DEFAULTS.replicas,
      image: resolveImage('apicast', s.image, env),
      serviceAccount: s.serviceAccount ?? APICAST_DEFAULTS.serviceAccount,
      ...(admin !== undefined ? { adminPortalSecret: admin } : {}),
      ...(embedded !== undefined ? { embeddedConfigurationSecret: embedded } : {}),
      ...(s.exposedHost !== undefined ? { exposedHost: s.exposedHost } : {}),
      env: envVars,
      resources: s.resources ?? DEFAULT_APICAST_RESOURCES,
      customPolicies: (s.customPolicies ?? []).map((p) => ({ name: p.name, version: p.version, secretName: p.secretRef.name ?? '' })),
    },
  };
}
