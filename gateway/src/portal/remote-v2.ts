/**
 * The portal "v2" protocol (gateway.md §2.2): A. endpoint with a path →
 * `<endpoint>/<env>.json?host=`; B. lazy + APICAST_LOAD_SERVICES_WHEN_NEEDED →
 * `/admin/api/services/proxy/configs/<env>.json?host=`; C. whole account →
 * services index (or APICAST_SERVICES_LIST) then one proxy-config per service,
 * latest or pinned by APICAST_SERVICE_<ID>_CONFIGURATION_VERSION.
 *
 * Answers a configuration object `{services:[…]}` or the reason nothing could
 * be loaded; never throws. Validation and storing are the caller's business.
 */
import type { ConfigurationJson, ServiceJson } from '../config/types.js';
import { portalUrl, type PortalEndpoint } from './endpoint.js';
import { describeStatus, httpGet, type HttpGetOptions } from './http-get.js';
import type { LogSink } from './log-sink.js';

export interface PortalOptions {
  endpoint: PortalEndpoint;
  /** THREESCALE_DEPLOYMENT_ENV: the `<env>` path segment. */
  environment: string;
  servicesList: string[] | undefined;
  serviceVersions: ReadonlyMap<string, string>;
  /** Only honoured when the loader is lazy (gateway.md §1.2). */
  loadServicesWhenNeeded: boolean;
  loader: 'boot' | 'lazy';
  http: HttpGetOptions;
  log: LogSink;
  /** Parallel per-service downloads in protocol C (the original is sequential; loopback portals answer fast either way). */
  concurrency?: number;
}

export type PortalResult =
  | { ok: true; configuration: ConfigurationJson; via: string }
  | { ok: false; error: string };

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${(error as Error).message}` };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{"proxy_configs":[{"proxy_config":{"content":{…}}}]}` → services, or why the body is not that. */
export function servicesFromProxyConfigs(body: unknown): { services: ServiceJson[] } | { error: string } {
  if (!isObject(body) || !Array.isArray(body.proxy_configs)) return { error: 'proxy_configs: missing or not an array' };
  const services: ServiceJson[] = [];
  for (const [index, item] of body.proxy_configs.entries()) {
    const content = isObject(item) && isObject(item.proxy_config) ? item.proxy_config.content : undefined;
    if (!isObject(content)) return { error: `proxy_configs[${index}].proxy_config.content: missing or not an object` };
    services.push(content as ServiceJson);
  }
  return { services };
}

/** `{"services":[{"service":{"id":42,…}}]}` → ids as strings. */
export function serviceIdsFromIndex(body: unknown): { ids: string[] } | { error: string } {
  if (!isObject(body) || !Array.isArray(body.services)) return { error: 'services: missing or not an array' };
  const ids: string[] = [];
  for (const [index, item] of body.services.entries()) {
    const id = isObject(item) && isObject(item.service) ? item.service.id : undefined;
    if (typeof id !== 'number' && typeof id !== 'string') return { error: `services[${index}].service.id: missing` };
    ids.push(String(id));
  }
  return { ids };
}

/** The endpoint's userinfo always travels as Basic auth (gateway.md §2.2). */
function withCredentials(options: PortalOptions): HttpGetOptions {
  return { ...options.http, authorization: options.endpoint.authorization };
}

async function byHost(options: PortalOptions, segments: string[], host: string, via: string): Promise<PortalResult> {
  const answer = await httpGet(portalUrl(options.endpoint, segments, { host }), withCredentials(options));
  if (answer.status !== 200) return { ok: false, error: `${via}: ${describeStatus(answer)}` };
  const parsed = parseJson(answer.body);
  if (!parsed.ok) return { ok: false, error: `${via}: ${parsed.error}` };
  const result = servicesFromProxyConfigs(parsed.value);
  if ('error' in result) return { ok: false, error: `${via}: ${result.error}` };
  return { ok: true, configuration: { services: result.services }, via };
}

async function oneService(options: PortalOptions, id: string): Promise<ServiceJson | string> {
  const version = options.serviceVersions.get(id) ?? 'latest';
  const segments = ['admin/api/services', id, 'proxy/configs', options.environment, `${version}.json`];
  const answer = await httpGet(portalUrl(options.endpoint, segments), withCredentials(options));
  if (answer.status !== 200) return `service ${id}: ${describeStatus(answer)}`;
  const parsed = parseJson(answer.body);
  if (!parsed.ok) return `service ${id}: ${parsed.error}`;
  const body = parsed.value;
  const content = isObject(body) && isObject(body.proxy_config) ? body.proxy_config.content : undefined;
  if (!isObject(content)) return `service ${id}: proxy_config.content missing or not an object`;
  return content as ServiceJson;
}

async function wholeAccount(options: PortalOptions): Promise<PortalResult> {
  let ids = options.servicesList;
  if (ids === undefined) {
    const answer = await httpGet(portalUrl(options.endpoint, ['admin/api/services.json']), withCredentials(options));
    if (answer.status !== 200) return { ok: false, error: `services index: ${describeStatus(answer)}` };
    const parsed = parseJson(answer.body);
    if (!parsed.ok) return { ok: false, error: `services index: ${parsed.error}` };
    const index = serviceIdsFromIndex(parsed.value);
    if ('error' in index) return { ok: false, error: `services index: ${index.error}` };
    ids = index.ids;
  }
  const results: (ServiceJson | string)[] = new Array(ids.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const position = next++;
      results[position] = await oneService(options, ids[position]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, ids.length)) }, worker));
  const services: ServiceJson[] = [];
  const failures: string[] = [];
  for (const result of results) {
    if (typeof result === 'string') failures.push(result);
    else services.push(result);
  }
  for (const failure of failures) options.log.info(`skipping ${failure}`);
  // Every per-service download failing means the portal is broken, not that
  // the account is empty: report a failure so the last good configuration stays.
  if (ids.length > 0 && services.length === 0) {
    return { ok: false, error: `no service could be downloaded (${failures[0]}${failures.length > 1 ? `, and ${failures.length - 1} more` : ''})` };
  }
  return { ok: true, configuration: { services }, via: 'services index' };
}

/** Protocols A → B → C of gateway.md §2.2. `host` is the request host (empty at boot). */
export async function loadRemoteV2(options: PortalOptions, host = ''): Promise<PortalResult> {
  const errors: string[] = [];
  if (options.endpoint.path !== '') {
    const result = await byHost(options, [options.endpoint.path, `${options.environment}.json`], host, 'configs by host (endpoint path)');
    if (result.ok) return result;
    errors.push(result.error); // falls through silently to B/C, as the original
  }
  if (options.loadServicesWhenNeeded && options.loader === 'lazy') {
    const result = await byHost(options, ['admin/api/services/proxy/configs', `${options.environment}.json`], host, 'failed to load proxy configs');
    if (result.ok) return result;
    return { ok: false, error: [...errors, result.error].join('; ') };
  }
  const result = await wholeAccount(options);
  if (result.ok) return result;
  return { ok: false, error: [...errors, result.error].join('; ') };
}
