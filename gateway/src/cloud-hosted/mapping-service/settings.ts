/**
 * The mapping-service's environment (gateway.md §9.2). A separate program
 * from the gateway, so it has its own small settings; the value parsers are
 * the gateway's (errors name the variable).
 */
import { SettingsError, readBoolean, readPort, readString, readUrl, type Env } from '../../settings/env-values.js';

export interface MappingServiceSettings {
  /** Ours: MAPPING_SERVICE_PORT (default 8093), so several can run on one host. */
  port: number;
  /** APICAST_METRICS_PORT (default 9421, gateway.md §9.2): Prometheus `GET /metrics`. */
  metricsPort: number;
  apiHost: URL;
  masterAccessToken: string;
  previewBaseDomain: string | undefined;
  opensslVerify: boolean;
}

export function parseMappingServiceSettings(env: Env): MappingServiceSettings {
  const masterAccessToken = readString(env, 'MASTER_ACCESS_TOKEN');
  if (!masterAccessToken) throw new SettingsError('MASTER_ACCESS_TOKEN', 'is required (the master account access token)');
  return {
    port: readPort(env, 'MAPPING_SERVICE_PORT', 8093),
    metricsPort: readPort(env, 'APICAST_METRICS_PORT', 9421),
    apiHost: readUrl(env, 'API_HOST') ?? new URL('https://multitenant-admin.3scale.net'),
    masterAccessToken,
    previewBaseDomain: readString(env, 'PREVIEW_BASE_DOMAIN'),
    opensslVerify: readBoolean(env, 'OPENSSL_VERIFY'),
  };
}
