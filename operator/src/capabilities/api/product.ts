// Product (capabilities.3scale.net/v1beta1): a 3scale product (service) with its gateway settings, the backends it
// routes to, metrics, methods, mapping rules, policies and application plans.
import { arr, bool, int64, mapOf, obj, opaque, str } from '../../api/schema-parts.js';
import { mappingRules, metricMethodRef, methods, metrics, providerAccountRef, statusWith, systemName } from './common.js';

const gatewayResponse = () =>
  obj('Responses the gateway sends on errors.', {
    errorStatusAuthFailed: int64('Status when credentials are wrong.', { minimum: 100, maximum: 599 }),
    errorHeadersAuthFailed: str('Content-Type when credentials are wrong.'),
    errorAuthFailed: str('Body when credentials are wrong.'),
    errorStatusAuthMissing: int64('Status when credentials are missing.', { minimum: 100, maximum: 599 }),
    errorHeadersAuthMissing: str('Content-Type when credentials are missing.'),
    errorAuthMissing: str('Body when credentials are missing.'),
    errorStatusNoMatch: int64('Status when no mapping rule matches.', { minimum: 100, maximum: 599 }),
    errorHeadersNoMatch: str('Content-Type when no mapping rule matches.'),
    errorNoMatch: str('Body when no mapping rule matches.'),
    errorStatusLimitsExceeded: int64('Status when a limit is reached.', { minimum: 100, maximum: 599 }),
    errorHeadersLimitsExceeded: str('Content-Type when a limit is reached.'),
    errorLimitsExceeded: str('Body when a limit is reached.'),
  });

const security = () =>
  obj('What the gateway adds towards the backend.', {
    hostHeader: str('Host header sent to the backend.'),
    secretToken: str('X-3scale-proxy-secret-token sent to the backend.'),
  });

const credentials = () => str('Where the gateway reads credentials.', { enum: ['headers', 'query', 'authorization'] });

const authentication = () =>
  obj(
    'How applications authenticate (one of userkey, appKeyAppID, oidc).',
    {
      userkey: obj('API key (backend_version 1).', {
        authUserKey: str('Name of the parameter or header holding the key.'),
        credentials: credentials(),
        security: security(),
        gatewayResponse: gatewayResponse(),
      }),
      appKeyAppID: obj('App id and app key (backend_version 2).', {
        appID: str('Name of the app id parameter.'),
        appKey: str('Name of the app key parameter.'),
        credentials: credentials(),
        security: security(),
        gatewayResponse: gatewayResponse(),
      }),
      oidc: obj(
        'OpenID Connect (backend_version oidc).',
        {
          issuerType: str('Issuer type.', { enum: ['keycloak', 'rest'] }),
          issuerEndpoint: str('Issuer URL with client credentials.'),
          jwtClaimWithClientID: str('Claim holding the client id.'),
          jwtClaimWithClientIDType: str('How that claim is read.', { enum: ['plain', 'liquid'] }),
          authenticationFlow: obj('OAuth flows the issuer allows.', {
            standardFlowEnabled: bool('Authorization code flow.'),
            implicitFlowEnabled: bool('Implicit flow.'),
            serviceAccountsEnabled: bool('Client credentials flow.'),
            directAccessGrantsEnabled: bool('Password flow.'),
          }),
          credentials: credentials(),
          security: security(),
          gatewayResponse: gatewayResponse(),
        },
        { required: ['issuerType', 'issuerEndpoint'] },
      ),
    },
    { maxProperties: 1 },
  );

const limit = () =>
  obj(
    'A usage limit.',
    {
      period: str('Period.', { enum: ['eternity', 'year', 'month', 'week', 'day', 'hour', 'minute'] }),
      value: int64('Maximum usage in the period.', { minimum: 0 }),
      metricMethodRef: obj(
        'The metric or method limited.',
        {
          systemName: metricMethodRef(),
          backend: str('system_name of the backend that owns the metric; unset = a metric of the product.'),
        },
        { required: ['systemName'] },
      ),
    },
    { required: ['period', 'value', 'metricMethodRef'] },
  );

const pricingRule = () =>
  obj(
    'A price per unit over a usage range.',
    {
      from: int64('First unit of the range.', { minimum: 1 }),
      to: int64('Last unit of the range.', { minimum: 1 }),
      pricePerUnit: str('Price per unit (decimal).', { pattern: '^[0-9]+(\\.[0-9]+)?$' }),
      metricMethodRef: obj(
        'The metric or method priced.',
        {
          systemName: metricMethodRef(),
          backend: str('system_name of the backend that owns the metric; unset = a metric of the product.'),
        },
        { required: ['systemName'] },
      ),
    },
    { required: ['from', 'to', 'pricePerUnit', 'metricMethodRef'] },
  );

const applicationPlan = () =>
  obj('One application plan.', {
    name: str('Name shown to developers.', { minLength: 1 }),
    appsRequireApproval: bool('New applications wait for approval.'),
    trialPeriod: int64('Trial days.', { minimum: 0 }),
    setupFee: str('Setup fee (decimal).', { pattern: '^[0-9]+(\\.[0-9]+)?$' }),
    costMonth: str('Monthly cost (decimal).', { pattern: '^[0-9]+(\\.[0-9]+)?$' }),
    published: bool('Visible to developers.'),
    limits: arr('Usage limits.', limit()),
    pricingRules: arr('Pricing rules.', pricingRule()),
  });

export const PRODUCT_SPEC_SCHEMA = obj(
  'A 3scale product: the API developers subscribe to.',
  {
    name: str('Name shown in the admin portal.', { minLength: 1 }),
    systemName: systemName(),
    description: str('Description.'),
    deployment: obj(
      'Where the gateway runs (one of apicastHosted, apicastSelfManaged).',
      {
        apicastHosted: obj('The 3scale-hosted gateway.', { authentication: authentication() }),
        apicastSelfManaged: obj("A gateway you run (our gateway, or the APIManager's).", {
          stagingPublicBaseURL: str('Public URL of the staging gateway.', { pattern: '^https?://' }),
          productionPublicBaseURL: str('Public URL of the production gateway.', { pattern: '^https?://' }),
          authentication: authentication(),
        }),
      },
      { maxProperties: 1 },
    ),
    mappingRules: mappingRules(),
    backendUsages: mapOf(
      "Backends this product routes to, by the backend's system_name.",
      obj(
        'One backend usage.',
        {
          path: str('Path prefix routed to the backend.', { pattern: '^/' }),
        },
        { required: ['path'] },
      ),
    ),
    metrics: metrics(),
    methods: methods(),
    policies: arr(
      'The policy chain, in order.',
      obj(
        'One policy.',
        {
          name: str('Policy name.', { minLength: 1 }),
          version: str('Policy version (builtin for the builtin ones).', { minLength: 1 }),
          configuration: opaque('Policy configuration.'),
          configurationRef: obj(
            'Secret holding the configuration as JSON under key configuration.',
            { name: str('Secret name.', { minLength: 1 }) },
            { required: ['name'] },
          ),
          enabled: bool('Run the policy.', { default: true }),
        },
        { required: ['name', 'version', 'enabled'] },
      ),
    ),
    applicationPlans: mapOf('Application plans by system_name.', applicationPlan()),
    providerAccountRef: providerAccountRef(),
  },
  { required: ['name'] },
);

export const PRODUCT_STATUS_SCHEMA = statusWith({
  productId: int64('3scale id of the product (service).'),
  state: str('3scale state of the product.'),
  latestStagingVersion: int64('Latest proxy configuration version deployed to staging by this CR.'),
});
