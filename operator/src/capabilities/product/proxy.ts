// The product's gateway settings as 3scale stores them: the service's deployment_option and backend_version, and
// the proxy fields. Pure. Only fields the CR sets are returned, so settings made elsewhere are not fought over.
import type { Fields } from '../threescale/client.js';
import type { ProductSpec } from '../api/kinds.js';

type Deployment = NonNullable<ProductSpec['deployment']>;
type Authentication = NonNullable<NonNullable<Deployment['apicastHosted']>['authentication']>;
type Common = NonNullable<Authentication['userkey']>;

export function serviceSettings(spec: ProductSpec): Fields {
  const deployment = spec.deployment;
  const auth = deployment?.apicastSelfManaged?.authentication ?? deployment?.apicastHosted?.authentication;
  return {
    deployment_option: deployment?.apicastSelfManaged ? 'self_managed' : deployment?.apicastHosted ? 'hosted' : undefined,
    backend_version: auth?.oidc ? 'oidc' : auth?.appKeyAppID ? '2' : auth?.userkey ? '1' : undefined,
  };
}

function commonFields(c: Partial<Common> | undefined): Fields {
  const r = c?.gatewayResponse;
  return {
    credentials_location: c?.credentials,
    hostname_rewrite: c?.security?.hostHeader,
    secret_token: c?.security?.secretToken,
    error_status_auth_failed: r?.errorStatusAuthFailed,
    error_headers_auth_failed: r?.errorHeadersAuthFailed,
    error_auth_failed: r?.errorAuthFailed,
    error_status_auth_missing: r?.errorStatusAuthMissing,
    error_headers_auth_missing: r?.errorHeadersAuthMissing,
    error_auth_missing: r?.errorAuthMissing,
    error_status_no_match: r?.errorStatusNoMatch,
    error_headers_no_match: r?.errorHeadersNoMatch,
    error_no_match: r?.errorNoMatch,
    error_status_limits_exceeded: r?.errorStatusLimitsExceeded,
    error_headers_limits_exceeded: r?.errorHeadersLimitsExceeded,
    error_limits_exceeded: r?.errorLimitsExceeded,
  };
}

export function proxySettings(spec: ProductSpec): Fields {
  const self = spec.deployment?.apicastSelfManaged;
  const auth = self?.authentication ?? spec.deployment?.apicastHosted?.authentication;
  const fields: Fields = {
    endpoint: self?.productionPublicBaseURL,
    sandbox_endpoint: self?.stagingPublicBaseURL,
    ...(auth?.userkey ? { ...commonFields(auth.userkey), auth_user_key: auth.userkey.authUserKey } : {}),
    ...(auth?.appKeyAppID
      ? { ...commonFields(auth.appKeyAppID), auth_app_id: auth.appKeyAppID.appID, auth_app_key: auth.appKeyAppID.appKey }
      : {}),
    ...(auth?.oidc
      ? {
          ...commonFields(auth.oidc),
          oidc_issuer_type: auth.oidc.issuerType,
          oidc_issuer_endpoint: auth.oidc.issuerEndpoint,
          jwt_claim_with_client_id: auth.oidc.jwtClaimWithClientID,
          jwt_claim_with_client_id_type: auth.oidc.jwtClaimWithClientIDType,
        }
      : {}),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** The OIDC flows, a separate 3scale object (proxy/oidc_configuration). */
export function oidcFlows(spec: ProductSpec): Fields | undefined {
  const auth = spec.deployment?.apicastSelfManaged?.authentication ?? spec.deployment?.apicastHosted?.authentication;
  const flow = auth?.oidc?.authenticationFlow;
  if (!flow) return undefined;
  return {
    standard_flow_enabled: flow.standardFlowEnabled,
    implicit_flow_enabled: flow.implicitFlowEnabled,
    service_accounts_enabled: flow.serviceAccountsEnabled,
    direct_access_grants_enabled: flow.directAccessGrantsEnabled,
  };
}
