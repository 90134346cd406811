/**
 * The portal "v2" protocol (gateway.md §2.2, the account endpoint §2.6): A. endpoint with a path →
 * `<endpoint>/<env>.json?host=`; then, without a path, the paginated account
 * endpoint `/admin/api/account/proxy_configs/<env>.json` (every service's
 * latest config, `per_page` 500, page after page until a short one; lazy:
 * `host=` the request host, normally one request); only when the portal does
 * not have that endpoint (404/403 on page 1) the older per-service protocols:
 * B. lazy + APICAST_LOAD_SERVICES_WHEN_NEEDED →
 * `/admin/api/services/proxy/configs/<env>.json?host=`; C. whole account →
 * services index (or APICAST_SERVICES_LIST) then one proxy-config per service,
 * latest or pinned by APICAST_SERVICE_<ID>_CONFIGURATION_VERSION. Boot with
 * only APICAST_SERVICES_LIST goes straight to C (a few per-service requests).
 * Pinned versions are fetched per service and replace the latest ones.
 *
 * A page that fails (transport, non-200, not JSON, an item that is not a
 * valid service) fails the whole load: nothing of the pages before it is
 * returned, so the caller keeps its last good configuration.
 *
 * Answers a configuration object `{services:[…]}` or the reason nothing could
 * be loaded; never throws. Validation and storing are the caller's business.
 */
import type { ValidateFunction } from 'ajv';
import { createAjv, describeErrors } from '../chain/ajv.js';
import { SERVICE_SCHEMA } from '../config/schema.js';
import type { ConfigurationJson, ServiceJson } from '../config/types.js';
import { portalUrl, type PortalEndpoint } from './endpoint.js';
import { describeStatus, httpGet, type HttpGetOptions } from './http-get.js';
import type { LogSink } from './log-sink.js';
import { displayString } from '../shared/display-string.js';

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
  /** APICAST_SERVICES_FILTER_BY_URL is set: with it, a services list alone does not select protocol C at boot. */
  filterByUrl?: boolean;
  /** `per_page` asked of the account endpoint (tests); the admin API's maximum, 500, by default. */
  perPage?: number;
}

/**
 * `partial`: the portal has the account endpoint (a page answered) but a page
 * failed; the legacy whole-account endpoint is then not tried either.
 */
export type PortalResult = { ok: true; configuration: ConfigurationJson; via: string } | { ok: false; error: string; partial?: boolean };

/** `per_page` of the account endpoint: 3scale's admin API default and maximum (as upstream APIcast asks). */
export const PROXY_CONFIGS_PER_PAGE = 500;
/** A portal that ignores `page` would be paged forever: stop after this many pages (100 000 services at 500). */
export const PROXY_CONFIGS_MAX_PAGES = 200;

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${(error as Error).message}` };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{"proxy_configs":[{"proxy_config":{"content":{…}}}]}` → services, or why the body is not that. */
export function servicesFromProxyConfigs(body: unknown): { services: ServiceJson[] } | { error: string } {
  if (!isObject(body) || !Array.isArray(body.proxy_configs)) return { error: 'proxy_configs: missing or not an array' };
  const services: ServiceJson[] = [];
  for (const [index, item] of body.proxy_configs.entries()) {
    const content = isObject(item) && isObject(item.proxy_config) ? item.proxy_config.content : undefined;
    if (!isObject(content)) return { error: `proxy_configs[${index}].proxy_config.content: missing or not an object` };
    services.push(content);
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

let validateService: ValidateFunction | undefined;
/** The configuration schema's service object (§3.2), the validator the store uses: why `content` is not one, or undefined. */
export function serviceProblem(content: unknown): string | undefined {
  validateService ??= createAjv({ trusted: true }).compile(SERVICE_SCHEMA);
  return validateService(content) ? undefined : describeErrors(validateService.errors, 'content');
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
  return content;
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
  const results = new Array<ServiceJson | string>(ids.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const position = next++;
      results[position] = await oneService(options, ids[position]);
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
    return {
      ok: false,
      error: `no service could be downloaded (${failures[0]}${failures.length > 1 ? `, and ${failures.length - 1} more` : ''})`,
    };
  }
  return { ok: true, configuration: { services }, via: 'services index' };
}

type AccountResult =
  { ok: true; services: ServiceJson[]; pages: number } | { ok: false; error: string; unavailable: boolean; partial: boolean };

/**
 * Pages through `/admin/api/account/proxy_configs/<env>.json` until a page
 * shorter than `per_page`. All or nothing: the first failing page ends the
 * load and nothing downloaded before it is returned.
 */
async function accountProxyConfigs(options: PortalOptions, host: string): Promise<AccountResult> {
  const perPage = options.perPage ?? PROXY_CONFIGS_PER_PAGE;
  const services: ServiceJson[] = [];
  const seen = new Set<string>();
  const segments = ['admin/api/account/proxy_configs', `${options.environment}.json`];
  for (let page = 1; page <= PROXY_CONFIGS_MAX_PAGES; page++) {
    const dropped = page > 1 ? ` (nothing of the ${page - 1} page${page > 2 ? 's' : ''} before it is used)` : '';
    // `answered`: the portal has the endpoint (this page came with 200), so a bad page is a
    // failed load, not a reason to try the older protocols.
    const fail = (reason: string, answered: boolean, unavailable = false): AccountResult => ({
      ok: false,
      error: `account proxy configs page ${page}: ${reason}${dropped}`,
      unavailable,
      partial: answered || page > 1,
    });
    const query: Record<string, string> = {
      ...(host !== '' ? { host } : {}),
      version: 'latest',
      page: String(page),
      per_page: String(perPage),
    };
    const answer = await httpGet(portalUrl(options.endpoint, segments, query), withCredentials(options));
    if (answer.status !== 200) return fail(describeStatus(answer), false, page === 1 && (answer.status === 404 || answer.status === 403));
    const parsed = parseJson(answer.body);
    if (!parsed.ok) return fail(parsed.error, true);
    const body = parsed.value;
    // An object without `proxy_configs` is an empty page, as upstream reads it.
    const items = isObject(body) ? (body.proxy_configs ?? []) : undefined;
    if (!Array.isArray(items)) return fail('proxy_configs: missing or not an array', true);
    for (const [index, item] of items.entries()) {
      const content = isObject(item) && isObject(item.proxy_config) ? item.proxy_config.content : undefined;
      const label = `proxy_configs[${index}]${isObject(content) && content.id != null ? ` (service ${displayString(content.id)})` : ''}`;
      const problem = isObject(content) ? serviceProblem(content) : 'proxy_config.content: missing or not an object';
      if (problem !== undefined) return fail(`${label}: invalid configuration: ${problem}`, true);
      const id = (content as ServiceJson).id;
      if (id != null) {
        if (seen.has(String(id))) return fail(`${label}: service ${String(id)} came already (does the portal ignore page?)`, true);
        seen.add(String(id));
      }
      services.push(content as ServiceJson);
    }
    if (items.length < perPage) return { ok: true, services, pages: page };
  }
  return {
    ok: false,
    error: `account proxy configs: more than ${PROXY_CONFIGS_MAX_PAGES} pages of ${perPage}, giving up`,
    unavailable: false,
    partial: true,
  };
}

/** Replaces each service pinned by APICAST_SERVICE_<ID>_CONFIGURATION_VERSION with that version (one request each). */
async function withPinnedVersions(
  options: PortalOptions,
  services: ServiceJson[],
): Promise<{ ok: true; pinned: number } | { ok: false; error: string }> {
  let pinned = 0;
  for (const [id, version] of options.serviceVersions) {
    const index = services.findIndex((s) => String(s.id) === id);
    if (index < 0) continue; // not in this answer (another host, or not on this channel)
    const content = await oneService(options, id);
    if (typeof content === 'string') return { ok: false, error: `pinned version ${version} of ${content}` };
    const problem = serviceProblem(content);
    if (problem !== undefined) return { ok: false, error: `pinned version ${version} of service ${id}: invalid configuration: ${problem}` };
    services[index] = content;
    pinned++;
  }
  return { ok: true, pinned };
}

/** Protocols of gateway.md §2.2: A, then the account endpoint, then B or C. `host` is the request host (empty at boot). */
export async function loadRemoteV2(options: PortalOptions, host = ''): Promise<PortalResult> {
  const errors: string[] = [];
  if (options.endpoint.path !== '') {
    const result = await byHost(options, [options.endpoint.path, `${options.environment}.json`], host, 'configs by host (endpoint path)');
    if (result.ok) return result;
    errors.push(result.error); // falls through silently to the account endpoint / B / C, as the original
  }
  const lazy = options.loader === 'lazy';
  // Boot with only a services list: those few per-service requests are cheaper than every page of the account.
  const listOnly = !lazy && options.servicesList !== undefined && !options.filterByUrl;
  if (!listOnly) {
    const account = await accountProxyConfigs(options, lazy ? host : '');
    if (account.ok) {
      const pins = await withPinnedVersions(options, account.services);
      if (!pins.ok) return { ok: false, error: [...errors, pins.error].join('; '), partial: true };
      options.log.debug(
        `account proxy configs: ${account.services.length} services in ${account.pages} page${account.pages > 1 ? 's' : ''}${pins.pinned ? `, ${pins.pinned} pinned` : ''}${lazy ? ` for host ${host}` : ''}`,
      );
      return { ok: true, configuration: { services: account.services }, via: 'account proxy configs' };
    }
    if (!account.unavailable) return { ok: false, error: [...errors, account.error].join('; '), partial: account.partial };
    options.log.info(`${account.error}: no account proxy-configs endpoint, using the per-service endpoints`);
    errors.push(account.error);
  }
  if (options.loadServicesWhenNeeded && lazy) {
    const result = await byHost(
      options,
      ['admin/api/services/proxy/configs', `${options.environment}.json`],
      host,
      'failed to load proxy configs',
    );
    if (result.ok) return result;
    return { ok: false, error: [...errors, result.error].join('; ') };
  }
  const result = await wholeAccount(options);
  if (result.ok) return result;
  return { ok: false, error: [...errors, result.error].join('; ') };
}
