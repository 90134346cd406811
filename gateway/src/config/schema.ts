/**
 * JSON Schema of the configuration (gateway.md §3): as lenient as the
 * original's parser — unknown fields accepted, ids and backend_version as
 * numbers or strings, optional objects nullable — and strict only where the
 * gateway cannot work with a value.
 */
const nullableString = { type: ['string', 'null'] };
const nullableStatus = { type: ['integer', 'null'], minimum: 100, maximum: 999 };
const idLike = { type: ['string', 'integer', 'null'] };

const mappingRule = {
  type: 'object',
  required: ['http_method', 'pattern', 'metric_system_name'],
  properties: {
    http_method: { type: 'string', minLength: 1 },
    pattern: { type: 'string' },
    metric_system_name: { type: 'string', minLength: 1 },
    delta: { type: ['integer', 'string', 'null'], pattern: '^-?\\d+$' },
    last: { type: ['boolean', 'null'] },
    querystring_parameters: { type: ['object', 'null'], additionalProperties: { type: ['string', 'number'] } },
    owner_id: idLike,
    owner_type: nullableString,
  },
};

const policyChainEntry = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    version: nullableString,
    configuration: { type: ['object', 'null'] },
  },
};

const proxy = {
  type: ['object', 'null'],
  properties: {
    hosts: { type: ['array', 'null'], items: { type: 'string' } },
    api_backend: nullableString,
    backend: {
      type: ['object', 'null'],
      properties: { endpoint: nullableString, host: nullableString },
    },
    credentials_location: nullableString,
    auth_user_key: nullableString,
    auth_app_id: nullableString,
    auth_app_key: nullableString,
    error_auth_missing: nullableString,
    error_status_auth_missing: nullableStatus,
    error_headers_auth_missing: nullableString,
    error_auth_failed: nullableString,
    error_status_auth_failed: nullableStatus,
    error_headers_auth_failed: nullableString,
    error_limits_exceeded: nullableString,
    error_status_limits_exceeded: nullableStatus,
    error_headers_limits_exceeded: nullableString,
    error_no_match: nullableString,
    error_status_no_match: nullableStatus,
    error_headers_no_match: nullableString,
    secret_token: nullableString,
    hostname_rewrite: nullableString,
    oauth_login_url: nullableString,
    authentication_method: { type: ['string', 'integer', 'null'] },
    oidc_issuer_endpoint: nullableString,
    jwt_claim_with_client_id: nullableString,
    jwt_claim_with_client_id_type: { enum: ['plain', 'liquid', null] },
    proxy_rules: { type: ['array', 'null'], items: mappingRule },
    policy_chain: { type: ['array', 'null'], items: policyChainEntry },
  },
};

const service = {
  type: 'object',
  properties: {
    id: idLike,
    system_name: nullableString,
    backend_version: { enum: ['1', '2', 'oauth', 1, 2, null] },
    backend_authentication_type: nullableString,
    backend_authentication_value: nullableString,
    proxy,
  },
};

/** One service object (§3.2): what each portal proxy config's `content` must be. */
export const SERVICE_SCHEMA = service;

export const CONFIGURATION_SCHEMA = {
  type: 'object',
  required: ['services'],
  properties: {
    services: { type: 'array', items: service },
    oidc: { type: ['array', 'null'], items: { type: ['object', 'boolean', 'null'] } },
    ttl: { type: ['number', 'null'] },
  },
} as const;
