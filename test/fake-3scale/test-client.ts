/**
 * The tests' 3scale client: undici over loopback, form bodies by default
 * (what 3scale's own clients send), JSON when asked, the token as the
 * `access_token` parameter unless another way is chosen.
 */
import { request } from 'undici';

export interface ApiAnswer {
  status: number;
  /** The parsed JSON, or undefined for an empty body. */
  // `any`: tests read many different response shapes, and asserting on them is the type check.
  json: any;
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
      for (const [key, value] of Object.entries({ ...(this.token !== undefined ? { access_token: this.token } : {}), ...options.form })) {
        if (value !== undefined) form.set(key, String(value));
      }
      body = form.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const search = query.toString();
    const response = await request(`${this.baseUrl}${path}${search ? `?${search}` : ''}`, { method: method as 'GET', headers, body });
    const text = await response.body.text();
    return { status: response.statusCode, text, json: text === '' ? undefined : JSON.parse(text) };
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
  const backendId = backend.json.backend_api.id as number;
  const metrics = await api.get(`/admin/api/backend_apis/${backendId}/metrics.json`);
  const backendHitsId = metrics.json.metrics[0].metric.id as number;
  await api.post(`/admin/api/backend_apis/${backendId}/mapping_rules.json`, {
    http_method: 'GET',
    pattern: '/',
    metric_id: backendHitsId,
    delta: 1,
  });
  const service = await api.post('/admin/api/services.json', { name });
  const serviceId = service.json.service.id as number;
  await api.post(`/admin/api/services/${serviceId}/backend_usages.json`, { backend_api_id: backendId, path: '/' });
  const plan = await api.post(`/admin/api/services/${serviceId}/application_plans.json`, { name: 'Basic', state_event: 'publish' });
  return { serviceId, backendId, planId: plan.json.application_plan.id as number, backendHitsId };
}
