/**
 * The tests' 3scale client: undici over loopback, form bodies by default
 * (what 3scale's own clients send), JSON when asked, the token as the
 * `access_token` parameter unless another way is chosen.
 */
import { request } from 'undici';
import type { FieldErrorMap } from './reply.js';
import type { presentAccount } from './routes/accounts.js';
import type { presentActiveDoc } from './routes/active-docs.js';
import type { presentApplication } from './routes/applications.js';
import type { presentUsage } from './routes/backend-usages.js';
import type { presentBackend } from './routes/backends.js';
import type { presentLimit } from './routes/limits.js';
import type { presentRule } from './routes/mapping-rules.js';
import type { presentProvider } from './routes/master-providers.js';
import type { presentMetric } from './routes/metrics.js';
import type { presentPlan } from './routes/plans.js';
import type { presentOidc } from './routes/policies.js';
import type { presentPricingRule } from './routes/pricing-rules.js';
import type { presentConfig } from './routes/proxy-configs.js';
import type { presentProxy } from './routes/proxy.js';
import type { presentPolicy } from './routes/registry-policies.js';
import type { presentService } from './routes/services.js';
import type { presentUser } from './routes/users.js';
import type { PolicyEntry } from './state.js';

type Shown<F extends (...args: never[]) => unknown> = ReturnType<F>;
/** `{"<plural>":[{"<singular>":{…}}, …]}` (paging.ts listOf). */
type ListOf<Singular extends string, T> = { [K in Singular]: T }[];

/**
 * porta's JSON answers as the fake's presenters write them: one envelope per
 * resource (`{"service":{…}}`), a list of envelopes per collection, `errors`
 * on a 422, `status` on a 404, `error` on a 400. An answer carries the
 * envelope of the endpoint that was called; a test reads that one, and a
 * missing envelope fails the test at the line that reads it.
 */
export interface PortaJson {
  /** The admin API's developer account; the master API's provider (`/master/api/providers/:id.json`) adds its domains and admin user. */
  account: Shown<typeof presentAccount> & Partial<Omit<Shown<typeof presentProvider>, keyof Shown<typeof presentAccount>>>;
  accounts: ListOf<'account', Shown<typeof presentAccount>>;
  api_doc: Shown<typeof presentActiveDoc>;
  api_docs: ListOf<'api_doc', Shown<typeof presentActiveDoc>>;
  application: Shown<typeof presentApplication>;
  applications: ListOf<'application', Shown<typeof presentApplication>>;
  backend_usage: Shown<typeof presentUsage>;
  backend_api: Shown<typeof presentBackend>;
  backend_apis: ListOf<'backend_api', Shown<typeof presentBackend>>;
  limit: Shown<typeof presentLimit>;
  limits: ListOf<'limit', Shown<typeof presentLimit>>;
  mapping_rule: Shown<typeof presentRule>;
  mapping_rules: ListOf<'mapping_rule', Shown<typeof presentRule>>;
  provider: Shown<typeof presentProvider>;
  providers: ListOf<'provider', Shown<typeof presentProvider>>;
  signup: {
    account: Shown<typeof presentProvider>;
    access_token: { id: number; name: string; scopes: string[]; permission: string; value: string };
  };
  metric: Shown<typeof presentMetric>;
  metrics: ListOf<'metric', Shown<typeof presentMetric>>;
  method: Shown<typeof presentMetric>;
  methods: ListOf<'method', Shown<typeof presentMetric>>;
  application_plan: Shown<typeof presentPlan>;
  plans: ListOf<'application_plan', Shown<typeof presentPlan>>;
  oidc_configuration: Shown<typeof presentOidc>;
  policies_config: PolicyEntry[];
  pricing_rule: Shown<typeof presentPricingRule>;
  pricing_rules: ListOf<'pricing_rule', Shown<typeof presentPricingRule>>;
  proxy_config: Shown<typeof presentConfig>;
  proxy_configs: ListOf<'proxy_config', Shown<typeof presentConfig>>;
  proxy: Shown<typeof presentProxy>;
  policy: Shown<typeof presentPolicy>;
  policies: ListOf<'policy', Shown<typeof presentPolicy>>;
  service: Shown<typeof presentService>;
  services: ListOf<'service', Shown<typeof presentService>>;
  user: Shown<typeof presentUser>;
  users: ListOf<'user', Shown<typeof presentUser>>;
  errors: FieldErrorMap;
  status: string;
  error: string;
}

export interface ApiAnswer {
  status: number;
  /** The parsed JSON (undefined at run time for an empty body, which no test reads). */
  json: PortaJson;
  text: string;
}

export type Sendable = Record<string, string | number | boolean | undefined>;

export class TestApi {
  constructor(
    readonly baseUrl: string,
    readonly token: string | undefined,
  ) {}

  withToken(token: string | undefined): TestApi {
    return new TestApi(this.baseUrl, token);
  }

  async call(
    method: string,
    path: string,
    options: { query?: Sendable; form?: Sendable; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiAnswer> {
    const query = new URLSearchParams();
    const withAuth = { ...(this.token !== undefined ? { access_token: this.token } : {}), ...options.query };
    const sendsBody = options.form !== undefined || options.json !== undefined;
    // GET and DELETE carry the token in the query; writes in the body, as porta's clients do.
    for (const [key, value] of Object.entries(sendsBody ? (options.query ?? {}) : withAuth))
      if (value !== undefined) query.set(key, String(value));
    let body: string | undefined;
    const headers: Record<string, string> = { ...options.headers };
    if (options.json !== undefined) {
      body = JSON.stringify({ ...(this.token !== undefined ? { access_token: this.token } : {}), ...(options.json as object) });
      headers['content-type'] = 'application/json';
    } else if (options.form !== undefined) {
      const form = new URLSearchParams();
      const fields: Sendable = { ...(this.token !== undefined ? { access_token: this.token } : {}), ...options.form };
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined) form.set(key, String(value));
      }
      body = form.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const search = query.toString();
    const response = await request(`${this.baseUrl}${path}${search ? `?${search}` : ''}`, { method: method as 'GET', headers, body });
    const text = await response.body.text();
    return { status: response.statusCode, text, json: text === '' ? (undefined as unknown as PortaJson) : (JSON.parse(text) as PortaJson) };
  }

  get(path: string, query?: Sendable): Promise<ApiAnswer> {
    return this.call('GET', path, { query });
  }
  post(path: string, form: Sendable = {}): Promise<ApiAnswer> {
    return this.call('POST', path, { form });
  }
  put(path: string, form: Sendable = {}): Promise<ApiAnswer> {
    return this.call('PUT', path, { form });
  }
  patch(path: string, form: Sendable = {}): Promise<ApiAnswer> {
    return this.call('PATCH', path, { form });
  }
  delete(path: string): Promise<ApiAnswer> {
    return this.call('DELETE', path);
  }
}

/** A product with one backend at `/`, a GET `/` rule on the backend's hits, and a published plan: the common set-up. */
export async function productWithBackend(
  api: TestApi,
  upstream: string,
  name = 'Shop',
): Promise<{ serviceId: number; backendId: number; planId: number; backendHitsId: number }> {
  const backend = await api.post('/admin/api/backend_apis.json', { name: `${name} backend`, private_endpoint: upstream });
  const backendId = backend.json.backend_api.id;
  const metrics = await api.get(`/admin/api/backend_apis/${backendId}/metrics.json`);
  const backendHitsId = metrics.json.metrics[0].metric.id;
  await api.post(`/admin/api/backend_apis/${backendId}/mapping_rules.json`, {
    http_method: 'GET',
    pattern: '/',
    metric_id: backendHitsId,
    delta: 1,
  });
  const service = await api.post('/admin/api/services.json', { name });
  const serviceId = service.json.service.id;
  await api.post(`/admin/api/services/${serviceId}/backend_usages.json`, { backend_api_id: backendId, path: '/' });
  const plan = await api.post(`/admin/api/services/${serviceId}/application_plans.json`, { name: 'Basic', state_event: 'publish' });
  return { serviceId, backendId, planId: plan.json.application_plan.id, backendHitsId };
}
