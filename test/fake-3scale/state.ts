/**
 * The fake's state: tenants (provider accounts), each with its own tables,
 * as porta keeps them. Row types carry exactly the fields the API shows plus
 * the few internal ones (owner references) the routes need.
 */
import { Collection, IdCounters, type Row } from './collection.js';
import type { ProxyConfigContent } from './proxy-config.js';

export type OwnerType = 'BackendApi' | 'Service';
export interface Owner {
  owner_type: OwnerType;
  owner_id: number;
}

export interface BackendRow extends Row {
  name: string;
  system_name: string;
  description: string | null;
  private_endpoint: string;
  account_id: number;
}

/** Metrics and methods share one table, as in porta: a method is a metric with a parent_id. */
export interface MetricRow extends Row, Owner {
  system_name: string;
  friendly_name: string;
  unit: string;
  description: string | null;
  parent_id: number | null;
}

export interface MappingRuleRow extends Row, Owner {
  metric_id: number;
  pattern: string;
  http_method: string;
  delta: number;
  position: number;
  last: boolean;
}

export type BackendVersion = '1' | '2' | 'oidc';
export interface ServiceRow extends Row {
  name: string;
  system_name: string;
  description: string | null;
  deployment_option: 'hosted' | 'self_managed';
  backend_version: BackendVersion;
  state: string;
  account_id: number;
  /** The token the gateway uses towards the Service Management API (proxy config `backend_authentication_value`). */
  service_token: string;
}

export interface ProxyRow extends Row {
  service_id: number;
  endpoint: string;
  sandbox_endpoint: string;
  api_backend: string | null;
  credentials_location: 'headers' | 'query' | 'authorization';
  auth_app_key: string;
  auth_app_id: string;
  auth_user_key: string;
  error_auth_failed: string;
  error_auth_missing: string;
  error_no_match: string;
  error_limits_exceeded: string;
  error_status_auth_failed: number;
  error_status_auth_missing: number;
  error_status_no_match: number;
  error_status_limits_exceeded: number;
  error_headers_auth_failed: string;
  error_headers_auth_missing: string;
  error_headers_no_match: string;
  error_headers_limits_exceeded: string;
  secret_token: string;
  hostname_rewrite: string | null;
  oidc_issuer_endpoint: string | null;
  oidc_issuer_type: string | null;
  jwt_claim_with_client_id: string | null;
  jwt_claim_with_client_id_type: 'plain' | 'liquid' | null;
  lock_version: number;
}

/** porta keeps `enabled` as sent: an entry without it is shown without it and left out of the proxy config's chain. */
export interface PolicyEntry {
  name: string;
  version: string;
  configuration: Record<string, unknown>;
  enabled?: boolean;
}

/** porta's default policy, appended to every chain that has no `apicast` entry. */
export const APICAST_POLICY: PolicyEntry = { name: 'apicast', version: 'builtin', configuration: {}, enabled: true };
export interface PolicyChainRow extends Row {
  service_id: number;
  chain: PolicyEntry[];
}

export interface OidcConfigurationRow extends Row {
  service_id: number;
  standard_flow_enabled: boolean;
  implicit_flow_enabled: boolean;
  service_accounts_enabled: boolean;
  direct_access_grants_enabled: boolean;
}

export interface BackendUsageRow extends Row {
  service_id: number;
  backend_id: number;
  path: string;
}

export interface PlanRow extends Row {
  service_id: number;
  name: string;
  system_name: string;
  state: 'published' | 'hidden';
  approval_required: boolean;
  trial_period_days: number | null;
  setup_fee: number;
  cost_per_month: number;
  default: boolean;
}

export type Period = 'eternity' | 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute';
export interface LimitRow extends Row {
  plan_id: number;
  metric_id: number;
  period: Period;
  value: number;
}
export interface PricingRuleRow extends Row {
  plan_id: number;
  metric_id: number;
  min: number;
  max: number | null;
  cost_per_unit: number;
}

export interface AccountRow extends Row {
  org_name: string;
  state: 'approved' | 'pending' | 'rejected' | 'suspended';
  monthly_billing_enabled: boolean;
  monthly_charging_enabled: boolean;
  /** Extra signup fields porta keeps as `extra_fields`. */
  extra_fields: Record<string, string>;
}

export interface UserRow extends Row {
  account_id: number;
  username: string;
  email: string;
  password: string | null;
  state: 'pending' | 'active' | 'suspended';
  role: 'admin' | 'member';
}

export interface ApplicationRow extends Row {
  account_id: number;
  service_id: number;
  plan_id: number;
  name: string;
  description: string;
  state: 'live' | 'suspended' | 'pending';
  user_key: string | null;
  application_id: string | null;
  keys: string[];
}

export interface ActiveDocRow extends Row {
  name: string;
  system_name: string;
  body: string;
  description: string | null;
  published: boolean;
  skip_swagger_validations: boolean;
  service_id: number | null;
}

export interface RegistryPolicyRow extends Row {
  name: string;
  version: string;
  schema: Record<string, unknown>;
}

export type Environment = 'sandbox' | 'production';
export interface ProxyConfigRow extends Row {
  service_id: number;
  environment: Environment;
  version: number;
  content: ProxyConfigContent;
  hosts: string[];
}

export interface ProviderAccountRow extends Row {
  org_name: string;
  admin_domain: string;
  domain: string;
  state: 'approved' | 'scheduled_for_deletion';
  /** The tenant's admin user, made by the signup; porta makes it pending until activated. */
  username: string;
  email: string;
  admin_user_id: number;
  admin_user_state: 'pending' | 'active';
}

export class Tenant {
  readonly backends: Collection<BackendRow>;
  readonly metrics: Collection<MetricRow>;
  readonly mappingRules: Collection<MappingRuleRow>;
  readonly services: Collection<ServiceRow>;
  readonly proxies: Collection<ProxyRow>;
  readonly policyChains: Collection<PolicyChainRow>;
  readonly oidcConfigurations: Collection<OidcConfigurationRow>;
  readonly backendUsages: Collection<BackendUsageRow>;
  readonly plans: Collection<PlanRow>;
  readonly limits: Collection<LimitRow>;
  readonly pricingRules: Collection<PricingRuleRow>;
  readonly accounts: Collection<AccountRow>;
  readonly users: Collection<UserRow>;
  readonly applications: Collection<ApplicationRow>;
  readonly activeDocs: Collection<ActiveDocRow>;
  readonly registryPolicies: Collection<RegistryPolicyRow>;
  readonly proxyConfigs: Collection<ProxyConfigRow>;

  constructor(
    readonly provider: ProviderAccountRow,
    readonly accessToken: string,
    ids: IdCounters,
  ) {
    const table = <T extends Row>(kind: string) => new Collection<T>(kind, ids.of(kind));
    this.backends = table('backend_api');
    this.metrics = table('metric');
    this.mappingRules = table('mapping_rule');
    this.services = table('service');
    this.proxies = table('proxy');
    this.policyChains = table('policy_chain');
    this.oidcConfigurations = table('oidc_configuration');
    this.backendUsages = table('backend_usage');
    this.plans = table('plan');
    this.limits = table('limit');
    this.pricingRules = table('pricing_rule');
    this.accounts = table('account');
    this.users = table('user');
    this.applications = table('application');
    this.activeDocs = table('api_doc');
    this.registryPolicies = table('policy');
    this.proxyConfigs = table('proxy_config');
  }

  get id(): number {
    return this.provider.id;
  }

  /** Every collection by the name routes and the drift helper use. */
  collection(kind: CollectionName): Collection<Row> {
    return this[kind];
  }
}

export type CollectionName =
  | 'backends'
  | 'metrics'
  | 'mappingRules'
  | 'services'
  | 'proxies'
  | 'policyChains'
  | 'oidcConfigurations'
  | 'backendUsages'
  | 'plans'
  | 'limits'
  | 'pricingRules'
  | 'accounts'
  | 'users'
  | 'applications'
  | 'activeDocs'
  | 'registryPolicies'
  | 'proxyConfigs';

/** porta's provider subdomain: the org name, lower case, runs of other characters as one `-`. */
export function subdomainOf(orgName: string): string {
  return orgName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** All tenants of one fake, found by access token. */
export class State {
  readonly ids = new IdCounters();
  readonly providers = new Collection<ProviderAccountRow>('provider_account', this.ids.of('account'));
  private readonly byToken = new Map<string, Tenant>();
  private readonly byId = new Map<number, Tenant>();

  addTenant(fields: { org_name: string; username: string; email: string }, accessToken: string): Tenant {
    const provider = this.providers.insert({
      org_name: fields.org_name,
      username: fields.username,
      email: fields.email,
      state: 'approved',
      admin_domain: '',
      domain: '',
      admin_user_id: this.ids.of('user').next(),
      admin_user_state: 'pending',
    });
    const slug = subdomainOf(fields.org_name) || `tenant-${provider.id}`;
    this.providers.update(provider.id, { admin_domain: `${slug}-admin.fake3scale.test`, domain: `${slug}.fake3scale.test` });
    const tenant = new Tenant(provider, accessToken, this.ids);
    this.byToken.set(accessToken, tenant);
    this.byId.set(provider.id, tenant);
    return tenant;
  }

  tenantByToken(token: string): Tenant | undefined {
    return this.byToken.get(token);
  }
  tenantById(id: number): Tenant | undefined {
    return this.byId.get(id);
  }

  /** Master's DELETE only schedules deletion; the tenant's token stops working at once, as a deleted account's would. */
  scheduleDeletion(id: number): void {
    const tenant = this.byId.get(id);
    if (!tenant) return;
    this.providers.update(id, { state: 'scheduled_for_deletion' });
    this.byToken.delete(tenant.accessToken);
  }
}
