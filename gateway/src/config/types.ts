/**
 * The configuration JSON as it arrives (file, portal, management push):
 * gateway.md §3. Lenient on purpose — portal exports carry many more fields,
 * ids may be numbers or strings, optional objects may be null. The JSON Schema
 * in ./schema.ts validates exactly what the gateway needs; the compiled form
 * the request path uses is in ./compiled.ts.
 */

export interface ConfigurationJson {
  services?: ServiceJson[] | null;
  /** Index-aligned with `services`; false/null = none (gateway.md §2.5). */
  oidc?: (OidcEntryJson | false | null)[] | null;
  timestamp?: unknown;
  ttl?: number | null;
  [field: string]: unknown;
}

export interface ServiceJson {
  id?: number | string | null;
  system_name?: string | null;
  /** '1', '2' or 'oauth' (1 and 2 as numbers too); other values are kept as they are. */
  backend_version?: string | number | null;
  /** 'service_token' or 'provider_key'; other values are kept as they are. */
  backend_authentication_type?: string | null;
  backend_authentication_value?: string | null;
  proxy?: ProxyJson | null;
  [field: string]: unknown;
}

export type CredentialsLocation = 'query' | 'headers' | 'authorization';

export interface ProxyJson {
  hosts?: string[] | null;
  api_backend?: string | null;
  backend?: { endpoint?: string | null; host?: string | null } | null;
  /** 'query', 'headers' or 'authorization'; unknown values are kept (extraction then answers auth-missing). */
  credentials_location?: string | null;
  auth_user_key?: string | null;
  auth_app_id?: string | null;
  auth_app_key?: string | null;
  error_auth_missing?: string | null;
  error_status_auth_missing?: number | null;
  error_headers_auth_missing?: string | null;
  error_auth_failed?: string | null;
  error_status_auth_failed?: number | null;
  error_headers_auth_failed?: string | null;
  error_limits_exceeded?: string | null;
  error_status_limits_exceeded?: number | null;
  error_headers_limits_exceeded?: string | null;
  error_no_match?: string | null;
  error_status_no_match?: number | null;
  error_headers_no_match?: string | null;
  secret_token?: string | null;
  hostname_rewrite?: string | null;
  oauth_login_url?: string | null;
  authentication_method?: string | number | null;
  oidc_issuer_endpoint?: string | null;
  jwt_claim_with_client_id?: string | null;
  jwt_claim_with_client_id_type?: 'plain' | 'liquid' | null;
  proxy_rules?: MappingRuleJson[] | null;
  policy_chain?: PolicyChainEntryJson[] | null;
  [field: string]: unknown;
}

export interface MappingRuleJson {
  http_method: string;
  pattern: string;
  metric_system_name: string;
  delta?: number | string | null;
  last?: boolean | null;
  /** The schema takes numbers too (`{"page": 1}`). */
  querystring_parameters?: Record<string, string | number> | null;
  parameters?: string[] | null;
  owner_id?: number | string | null;
  owner_type?: string | null;
  [field: string]: unknown;
}

export interface PolicyChainEntryJson {
  /** `echo` or `apicast.policy.echo` (always builtin). */
  name: string;
  /** Defaults to `builtin`. */
  version?: string | null;
  /** Defaults to `{}`; null counts as absent. */
  configuration?: Record<string, unknown> | null;
}

export interface OidcEntryJson {
  issuer?: string;
  config?: Record<string, unknown>;
  keys?: Record<string, { pem?: string; [field: string]: unknown }>;
  service_id?: number | string;
  [field: string]: unknown;
}
