/**
 * The compiled configuration the request path uses (architecture.md: nothing
 * on the request path parses JSON or builds a regex). Produced by
 * ./compile.ts from a validated ConfigurationJson, stored in ./store.ts.
 */
import type { ServiceJson, OidcEntryJson } from './types.js';
import type { CompiledMappingRule } from '../mapping/rule.js';
import type { PolicyChain } from '../chain/chain.js';
import type { Upstream } from '../upstream/upstream.js';

export interface ErrorResponse {
  readonly status: number;
  readonly body: string;
  /** Exact Content-Type value. */
  readonly contentType: string;
}

export interface ServiceErrors {
  readonly authMissing: ErrorResponse;
  readonly authFailed: ErrorResponse;
  readonly limitsExceeded: ErrorResponse;
  readonly noMatch: ErrorResponse;
}

export interface CredentialsSettings {
  /** 'query', 'headers' or 'authorization'; unknown values are kept so that extraction answers auth-missing (gateway.md §4.3). */
  readonly location: string;
  /** Lower-cased names the client uses. */
  readonly userKey: string;
  readonly appId: string;
  readonly appKey: string;
}

export interface BackendSettings {
  /** Base URL of the Service Management API (after BACKEND_ENDPOINT_OVERRIDE). */
  readonly endpoint: string;
  /** Host header for backend calls (no port). */
  readonly host: string;
  /** `service_token` / `provider_key` and its value; undefined when the type is unset. */
  readonly authentication: { readonly type: string; readonly value: string } | undefined;
}

export interface CompiledService {
  /** Always a string (gateway.md §3.2). */
  readonly id: string;
  readonly systemName: string;
  /** The service JSON exactly as received (GET /config, policies needing unusual fields). */
  readonly raw: ServiceJson;
  /** Lower-cased public hosts; `["localhost"]` when absent. */
  readonly hosts: readonly string[];
  readonly backendVersion: '1' | '2' | 'oauth';
  /** `1`, `2`, `oauth` or `oidc`. */
  readonly authenticationMethod: string;
  readonly backend: BackendSettings;
  readonly credentials: CredentialsSettings;
  readonly errors: ServiceErrors;
  readonly secretToken: string | undefined;
  readonly hostnameRewrite: string | undefined;
  readonly oauthLoginUrl: string | undefined;
  readonly jwtClaimWithClientId: { readonly value: string; readonly type: 'plain' | 'liquid' };
  /** Parsed api_backend; undefined when absent or not a usable URL (⇒ 404 at content time). */
  readonly apiBackend: Upstream | undefined;
  /** Mapping rules in configuration order, compiled. */
  readonly rules: readonly CompiledMappingRule[];
  /** Precomputed OIDC discovery entry (top-level `oidc` of the configuration). */
  readonly oidc: OidcEntryJson | undefined;
  /** The built per-service chain (default `[apicast]`). */
  readonly chain: PolicyChain;
  /** Configuration TTL for the host index (seconds; < 0 never expires). */
  readonly ttl: number | undefined;
}

export interface CompiledConfiguration {
  /** Services after the service filters, in configuration order (duplicates dropped). */
  readonly services: readonly CompiledService[];
  /** The decoded JSON (management API answers). */
  readonly raw: unknown;
  readonly timestamp: unknown;
}
