// APIcast CR (already schema-valid) → ApicastModel (operator.md §7.1, §7.2).
import type { APIcast } from '../api/types.js';
import { APICAST_DEFAULTS } from '../api/defaults.js';
import type { ApicastModel, FieldError, Result } from './types.js';
import { type Env, resolveImage } from './images.js';
import { LUA_ENVIRONMENTS_IGNORED, toGatewayOptions } from './gateway-options.js';
import { EnvList } from './env-list.js';
import type { Scheduling } from './types.js';

function schedulingOf(s: APIcast['spec']): Scheduling {
  const out: Scheduling = {};
  if (s.affinity !== undefined) out.affinity = s.affinity;
  if (s.tolerations !== undefined) out.tolerations = s.tolerations;
  if (s.priorityClassName !== undefined) out.priorityClassName = s.priorityClassName;
  if (s.topologySpreadConstraints !== undefined) out.topologySpreadConstraints = s.topologySpreadConstraints;
  return out;
}

export const DEFAULT_APICAST_RESOURCES = { requests: { cpu: '500m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } };
export const EMBEDDED_CONFIG_PATH = '/tmp/gateway-configuration-volume/config.json';

export function toApicastModel(cr: APIcast, env: Env): Result<ApicastModel> {
  const s = cr.spec;
  const errors: FieldError[] = [];
  const admin = s.adminPortalCredentialsRef?.name;
  const embedded = s.embeddedConfigurationSecretRef?.name;
  if (s.adminPortalCredentialsRef !== undefined && (admin === undefined || admin === '')) {
    errors.push({
      path: 'spec.adminPortalCredentialsRef.name',
      reason: "Field 'Name' not specified for AdminPortalCredentialsRef Secret Reference",
    });
  }
  if (s.embeddedConfigurationSecretRef !== undefined && (embedded === undefined || embedded === '')) {
    errors.push({
      path: 'spec.embeddedConfigurationSecretRef.name',
      reason: "Field 'Name' not specified for EmbeddedConfigurationSecretRef Secret Reference",
    });
  }
  if (s.adminPortalCredentialsRef === undefined && s.embeddedConfigurationSecretRef === undefined) {
    errors.push({
      path: 'spec.adminPortalCredentialsRef',
      reason: 'one of adminPortalCredentialsRef and embeddedConfigurationSecretRef is required',
    });
  }
  // workers and logLevel keep their 2.9 place in the env list below; the rest of the gateway settings are shared.
  const gateway = toGatewayOptions({ ...s, workers: undefined, logLevel: undefined }, 'spec', errors);
  const pdb = s.podDisruptionBudget;
  if (pdb?.maxUnavailable !== undefined && pdb.minAvailable !== undefined) {
    errors.push({ path: 'spec.podDisruptionBudget', reason: 'set maxUnavailable or minAvailable, not both' });
  }
  if (errors.length > 0) return { ok: false, errors };

  // Env order of operator.md §7.2; unset optional fields produce no env var.
  const envList = new EnvList();
  envList.add('THREESCALE_DEPLOYMENT_ENV', s.deploymentEnvironment);
  envList.add('RESOLVER', s.dnsResolverAddress);
  envList.add(
    'APICAST_SERVICES_LIST',
    s.enabledServices !== undefined && s.enabledServices.length > 0 ? s.enabledServices.join(',') : undefined,
  );
  envList.add('APICAST_CONFIGURATION_LOADER', s.configurationLoadMode);
  envList.add('APICAST_LOG_LEVEL', s.logLevel);
  envList.add('APICAST_PATH_ROUTING', s.pathRoutingEnabled);
  envList.add('APICAST_RESPONSE_CODES', s.responseCodesIncluded);
  envList.add('APICAST_CONFIGURATION_CACHE', s.cacheConfigurationSeconds);
  envList.add('APICAST_MANAGEMENT_API', s.managementAPIScope);
  envList.add('OPENSSL_VERIFY', s.openSSLPeerVerificationEnabled);
  envList.add('THREESCALE_CONFIG_FILE', embedded !== undefined ? EMBEDDED_CONFIG_PATH : undefined);
  envList.add('APICAST_WORKERS', s.workers);
  // apicast-operator 0.7+ variables, after the 2.9 ones so that an older CR's env stays as it was.
  envList.add('TZ', s.timezone);
  envList.add('APICAST_UPSTREAM_RETRY_CASES', s.upstreamRetryCases);
  envList.add('APICAST_CACHE_MAX_TIME', s.cacheMaxTime);
  envList.add('APICAST_CACHE_STATUS_CODES', s.cacheStatusCodes);
  envList.add('APICAST_OIDC_LOG_LEVEL', s.oidcLogLevel);
  envList.add('APICAST_SERVICES_FILTER_BY_URL', s.servicesFilterByURL);
  envList.add('APICAST_EXTENDED_METRICS', s.extendedMetrics);
  for (const [id, version] of Object.entries(s.serviceConfigurationVersionOverride ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    envList.add(`APICAST_SERVICE_${id}_CONFIGURATION_VERSION`, version);
  }

  const warnings = (s.customEnvironments ?? []).length > 0 ? [{ path: 'spec.customEnvironments', reason: LUA_ENVIRONMENTS_IGNORED }] : [];
  return {
    ok: true,
    ...(warnings.length > 0 ? { warnings } : {}),
    value: {
      name: cr.metadata.name,
      ...(cr.metadata.namespace !== undefined ? { namespace: cr.metadata.namespace } : {}),
      replicas: s.replicas ?? APICAST_DEFAULTS.replicas,
      image: resolveImage('apicast', s.image, env),
      serviceAccount: s.serviceAccount ?? APICAST_DEFAULTS.serviceAccount,
      ...(admin !== undefined ? { adminPortalSecret: admin } : {}),
      ...(embedded !== undefined ? { embeddedConfigurationSecret: embedded } : {}),
      ...(s.exposedHost !== undefined ? { exposedHost: s.exposedHost } : {}),
      env: envList.vars,
      resources: s.resources ?? DEFAULT_APICAST_RESOURCES,
      gateway,
      ...(s.caCertificateSecretRef?.name !== undefined && s.caCertificateSecretRef.name !== ''
        ? { caCertificateSecret: s.caCertificateSecretRef.name }
        : {}),
      scheduling: schedulingOf(s),
      autoscaled: s.hpa === true,
      ...(pdb?.enabled === true
        ? {
            podDisruptionBudget: {
              ...(pdb.maxUnavailable !== undefined ? { maxUnavailable: pdb.maxUnavailable } : {}),
              ...(pdb.minAvailable !== undefined ? { minAvailable: pdb.minAvailable } : {}),
            },
          }
        : {}),
    },
  };
}
