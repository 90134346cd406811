/**
 * ConfigurationJson (validated) → CompiledConfiguration. Everything the
 * request path needs is computed here: hosts, error responses, backend
 * endpoint, credential names, upstream URL, mapping-rule regexes, policy
 * chains. Any failure throws ConfigurationError naming the field.
 */
import type { Logger } from 'pino';
import type { Settings } from '../settings.js';
import type { GatewayHooks } from '../telemetry/hooks.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';
import type { PolicyRegistry } from '../chain/registry.js';
import { buildChain, DEFAULT_CHAIN } from '../chain/build.js';
import { compileRule, MappingRuleError } from '../mapping/rule.js';
import { parseUpstream, UpstreamUrlError } from '../upstream/upstream.js';
import type { CompiledConfiguration, CompiledService, ErrorResponse } from './compiled.js';
import type { ConfigurationJson, OidcEntryJson, ProxyJson, ServiceJson } from './types.js';
import { ConfigurationError } from './errors.js';
import type { ServiceFilter } from './filter.js';

export interface CompileDependencies {
  settings: Settings;
  registry: PolicyRegistry;
  log: Logger;
  hooks: GatewayHooks;
  runtime: GatewayRuntime;
  filter: ServiceFilter;
}

const TEXT = 'text/plain; charset=utf-8';

function errorResponse(
  proxy: ProxyJson,
  name: 'auth_missing' | 'auth_failed' | 'limits_exceeded' | 'no_match',
  status: number,
  body: string,
): ErrorResponse {
  return {
    status: proxy[`error_status_${name}`] ?? status,
    body: proxy[`error_${name}`] ?? body,
    contentType: proxy[`error_headers_${name}`] ?? TEXT,
  };
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

export async function compileService(
  json: ServiceJson,
  index: number,
  oidc: OidcEntryJson | undefined,
  deps: CompileDependencies,
  ttl: number | undefined,
): Promise<CompiledService> {
  const field = `services[${index}]`;
  const id = json.id === undefined || json.id === null ? 'default' : String(json.id);
  const proxy: ProxyJson = json.proxy ?? {};
  const backendVersion = String(json.backend_version ?? '1') as '1' | '2' | 'oauth';

  const override = deps.settings.backendEndpointOverride;
  let endpoint: string;
  let backendHost: string;
  if (override) {
    endpoint = override.href.replace(/\/$/, '');
    backendHost = override.hostname;
  } else {
    endpoint = nonEmpty(proxy.backend?.endpoint) ?? `http://127.0.0.1:${deps.settings.echoPort}`;
    let hostname: string;
    try {
      hostname = new URL(endpoint).hostname;
    } catch {
      throw new ConfigurationError(`${field}.proxy.backend.endpoint`, `"${endpoint}" is not a URL`);
    }
    backendHost = nonEmpty(proxy.backend?.host) ?? hostname;
  }

  let apiBackend;
  const hostnameRewrite = nonEmpty(proxy.hostname_rewrite);
  const apiBackendUrl = nonEmpty(proxy.api_backend);
  if (apiBackendUrl !== undefined) {
    try {
      apiBackend = parseUpstream(apiBackendUrl, { hostHeader: hostnameRewrite });
    } catch (error) {
      if (!(error instanceof UpstreamUrlError)) throw error;
      // The original answers 404 at content time for an unusable api_backend (gateway.md §4.11).
      deps.log.warn({ service: id }, `service ${id}: api_backend ${error.message}; requests will get 404`);
    }
  }

  const rules = (proxy.proxy_rules ?? []).map((rule, j) => {
    try {
      return compileRule(rule);
    } catch (error) {
      if (error instanceof MappingRuleError)
        throw new ConfigurationError(`${field}.proxy.proxy_rules[${j}].pattern`, `service ${id}: ${error.message}`);
      throw error;
    }
  });

  const chain = await buildChain(proxy.policy_chain ?? DEFAULT_CHAIN, {
    registry: deps.registry,
    settings: deps.settings,
    log: deps.log,
    hooks: deps.hooks,
    runtime: deps.runtime,
    service: json,
    serviceId: id,
    field: `${field}.proxy.policy_chain`,
  });

  const backendAuthType = nonEmpty(json.backend_authentication_type);
  return {
    id,
    systemName: json.system_name ?? '',
    raw: json,
    hosts: proxy.hosts ?? ['localhost'],
    backendVersion,
    authenticationMethod: String(proxy.authentication_method ?? backendVersion),
    backend: {
      endpoint,
      host: backendHost,
      authentication: backendAuthType ? { type: backendAuthType, value: json.backend_authentication_value ?? '' } : undefined,
    },
    credentials: {
      location: proxy.credentials_location ?? 'query',
      userKey: (nonEmpty(proxy.auth_user_key) ?? 'user_key').toLowerCase(),
      appId: (nonEmpty(proxy.auth_app_id) ?? 'app_id').toLowerCase(),
      appKey: (nonEmpty(proxy.auth_app_key) ?? 'app_key').toLowerCase(),
    },
    errors: {
      authMissing: errorResponse(proxy, 'auth_missing', 401, 'Authentication parameters missing'),
      authFailed: errorResponse(proxy, 'auth_failed', 403, 'Authentication failed'),
      limitsExceeded: errorResponse(proxy, 'limits_exceeded', 429, 'Limits exceeded'),
      noMatch: errorResponse(proxy, 'no_match', 404, 'No Mapping Rule matched'),
    },
    secretToken: nonEmpty(proxy.secret_token),
    hostnameRewrite,
    oauthLoginUrl: nonEmpty(proxy.oauth_login_url),
    jwtClaimWithClientId: {
      value: nonEmpty(proxy.jwt_claim_with_client_id) ?? 'azp',
      type: proxy.jwt_claim_with_client_id_type ?? 'plain',
    },
    apiBackend,
    rules,
    oidc,
    chain,
    ttl,
  };
}

/** Compiles a schema-valid configuration. Throws ConfigurationError. */
export async function compileConfiguration(json: ConfigurationJson, deps: CompileDependencies): Promise<CompiledConfiguration> {
  const services: CompiledService[] = [];
  const seen = new Set<string>();
  const hostOwner = new Map<string, string>();
  const list = json.services ?? [];
  const ttl = typeof json.ttl === 'number' ? json.ttl : undefined;
  for (let i = 0; i < list.length; i++) {
    const serviceJson = list[i];
    const id = serviceJson.id === undefined || serviceJson.id === null ? 'default' : String(serviceJson.id);
    if (!deps.filter.keep(serviceJson)) {
      deps.log.info({ service: id }, `filtering out service ${id}`);
      continue;
    }
    if (seen.has(id)) {
      deps.log.warn({ service: id }, `service ${id} is defined twice; the later definition is ignored`);
      continue;
    }
    seen.add(id);
    const oidcEntry = json.oidc?.[i];
    let service: CompiledService;
    try {
      service = await compileService(serviceJson, i, oidcEntry ? oidcEntry : undefined, deps, ttl);
    } catch (error) {
      // Rejected configuration: the chains built for earlier services will never serve.
      for (const built of services)
        await built.chain.dispose((policy, err) => {
          deps.log.warn({ err, policy }, 'dispose failed');
        });
      throw error;
    }
    for (const host of service.hosts) {
      const owner = hostOwner.get(host);
      if (owner === undefined) hostOwner.set(host, id);
      else if (!deps.settings.pathRouting && !deps.settings.pathRoutingOnly) {
        deps.log.warn({ service: id }, `skipping host ${host} for service ${id} already defined by service ${owner}`);
      }
    }
    deps.log.info(
      { service: id },
      `added service ${id} configuration with hosts: ${service.hosts.join(', ')} ttl: ${ttl ?? deps.settings.configurationCache}`,
    );
    services.push(service);
  }
  return { services, raw: json, timestamp: json.timestamp };
}
