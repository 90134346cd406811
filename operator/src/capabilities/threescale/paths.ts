// The Account Management API paths the reconcilers use (3scale's admin API; every path ends in .json).
export const paths = {
  backends: '/admin/api/backend_apis.json',
  backend: (id: number) => `/admin/api/backend_apis/${id}.json`,
  backendMetrics: (backend: number) => `/admin/api/backend_apis/${backend}/metrics.json`,
  backendMetric: (backend: number) => (id: number) => `/admin/api/backend_apis/${backend}/metrics/${id}.json`,
  backendMethods: (backend: number, hits: number) => `/admin/api/backend_apis/${backend}/metrics/${hits}/methods.json`,
  backendMethod: (backend: number, hits: number) => (id: number) => `/admin/api/backend_apis/${backend}/metrics/${hits}/methods/${id}.json`,
  backendRules: (backend: number) => `/admin/api/backend_apis/${backend}/mapping_rules.json`,
  backendRule: (backend: number) => (id: number) => `/admin/api/backend_apis/${backend}/mapping_rules/${id}.json`,

  services: '/admin/api/services.json',
  service: (id: number) => `/admin/api/services/${id}.json`,
  serviceMetrics: (service: number) => `/admin/api/services/${service}/metrics.json`,
  serviceMetric: (service: number) => (id: number) => `/admin/api/services/${service}/metrics/${id}.json`,
  serviceMethods: (service: number, hits: number) => `/admin/api/services/${service}/metrics/${hits}/methods.json`,
  serviceMethod: (service: number, hits: number) => (id: number) => `/admin/api/services/${service}/metrics/${hits}/methods/${id}.json`,
  serviceRules: (service: number) => `/admin/api/services/${service}/proxy/mapping_rules.json`,
  serviceRule: (service: number) => (id: number) => `/admin/api/services/${service}/proxy/mapping_rules/${id}.json`,
  backendUsages: (service: number) => `/admin/api/services/${service}/backend_usages.json`,
  backendUsage: (service: number) => (id: number) => `/admin/api/services/${service}/backend_usages/${id}.json`,
  proxy: (service: number) => `/admin/api/services/${service}/proxy.json`,
  policies: (service: number) => `/admin/api/services/${service}/proxy/policies.json`,
  deploy: (service: number) => `/admin/api/services/${service}/proxy/deploy.json`,
  latestConfig: (service: number, env: 'sandbox' | 'production') => `/admin/api/services/${service}/proxy/configs/${env}/latest.json`,
  promote: (service: number, version: number) => `/admin/api/services/${service}/proxy/configs/sandbox/${version}/promote.json`,

  plans: (service: number) => `/admin/api/services/${service}/application_plans.json`,
  plan: (service: number) => (id: number) => `/admin/api/services/${service}/application_plans/${id}.json`,
  planLimits: (plan: number) => `/admin/api/application_plans/${plan}/limits.json`,
  metricLimits: (plan: number, metric: number) => `/admin/api/application_plans/${plan}/metrics/${metric}/limits.json`,
  metricLimit: (plan: number, metric: number) => (id: number) => `/admin/api/application_plans/${plan}/metrics/${metric}/limits/${id}.json`,
  planPricingRules: (plan: number) => `/admin/api/application_plans/${plan}/pricing_rules.json`,
  metricPricingRules: (plan: number, metric: number) => `/admin/api/application_plans/${plan}/metrics/${metric}/pricing_rules.json`,
  metricPricingRule: (plan: number, metric: number) => (id: number) =>
    `/admin/api/application_plans/${plan}/metrics/${metric}/pricing_rules/${id}.json`,

  signup: '/admin/api/signup.json',
  accounts: '/admin/api/accounts.json',
  account: (id: number) => `/admin/api/accounts/${id}.json`,
  users: (account: number) => `/admin/api/accounts/${account}/users.json`,
  user: (account: number, id: number) => `/admin/api/accounts/${account}/users/${id}.json`,
  userAction: (account: number, id: number, action: 'activate' | 'admin' | 'member' | 'suspend' | 'unsuspend') =>
    `/admin/api/accounts/${account}/users/${id}/${action}.json`,
  applications: (account: number) => `/admin/api/accounts/${account}/applications.json`,
  application: (account: number, id: number) => `/admin/api/accounts/${account}/applications/${id}.json`,
  applicationAction: (account: number, id: number, action: 'suspend' | 'resume' | 'change_plan') =>
    `/admin/api/accounts/${account}/applications/${id}/${action}.json`,
  applicationKeys: (account: number, id: number) => `/admin/api/accounts/${account}/applications/${id}/keys.json`,

  activeDocs: '/admin/api/active_docs.json',
  activeDoc: (id: number) => `/admin/api/active_docs/${id}.json`,
  registryPolicies: '/admin/api/registry/policies.json',
  registryPolicy: (id: number) => `/admin/api/registry/policies/${id}.json`,

  providers: '/master/api/providers.json',
  provider: (id: number) => `/master/api/providers/${id}.json`,
} as const;
