// One client per 3scale account (admin portal URL + access token). undici, one keep-alive pool per origin shared by
// every CR of that account. Reads follow 3scale's pagination; writes are form-encoded like 3scale's own clients.
// Every call is counted (by method and whether it wrote), so "a no-op resync only reads" is measurable.
import { Agent, request, type Dispatcher } from 'undici';
import { ThreescaleApiError, ThreescaleUnreachableError, describeErrorBody } from './errors.js';

export interface PortalAccess {
  /** https://<account>-admin.<domain> (no path, no credentials). */
  adminUrl: string;
  token: string;
  insecureSkipVerify: boolean;
}

export type CallListener = (method: string, write: boolean) => void;
export type FormValue = string | number | boolean | undefined;
export type Fields = Record<string, FormValue>;

const PAGE_SIZE = 500;
/** Default time a 3scale call may take before it counts as no answer (THREESCALE_API_TIMEOUT). */
export const DEFAULT_TIMEOUT_MS = 15_000;

const agents = new Map<boolean, Agent>();
function agentFor(insecure: boolean): Agent {
  let agent = agents.get(insecure);
  if (!agent) {
    agent = new Agent({ keepAliveTimeout: 30_000, connections: 8, connect: insecure ? { rejectUnauthorized: false } : {} });
    agents.set(insecure, agent);
  }
  return agent;
}

export class ThreescaleClient {
  private readonly dispatcher: Dispatcher;

  constructor(
    readonly access: PortalAccess,
    private readonly onCall: CallListener = () => {},
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    this.dispatcher = agentFor(access.insecureSkipVerify);
  }

  get host(): string {
    return new URL(this.access.adminUrl).host;
  }

  async get<T>(path: string, query: Record<string, string> = {}): Promise<T> {
    return this.call<T>('GET', path, query);
  }

  /** Every item of a paginated list: `{"<listKey>":[{"<itemKey>":{...}}]}` → items. */
  async list<T>(path: string, listKey: string, itemKey: string, query: Record<string, string> = {}): Promise<T[]> {
    const items: T[] = [];
    let previousFirst: unknown;
    for (let page = 1; ; page++) {
      const body = await this.call<Record<string, unknown>>('GET', path, { ...query, page: String(page), per_page: String(PAGE_SIZE) });
      const entries = unwrapList<T>(body, listKey, itemKey);
      // Some 3scale lists ignore `page` and answer everything each time: a repeated first item ends the walk.
      const first = (entries[0] as { id?: unknown } | undefined)?.id;
      if (entries.length === 0 || (page > 1 && first === previousFirst)) return items;
      previousFirst = first;
      items.push(...entries);
      if (entries.length < PAGE_SIZE) return items;
    }
  }

  async create<T>(path: string, itemKey: string, fields: Fields): Promise<T> {
    return unwrapItem(await this.call('POST', path, {}, fields), itemKey, path) as T;
  }

  async update<T>(path: string, itemKey: string, fields: Fields, method: 'PUT' | 'PATCH' = 'PUT'): Promise<T> {
    return unwrapItem(await this.call(method, path, {}, fields), itemKey, path) as T;
  }

  /** A write whose answer the caller does not need (state changes: suspend, promote, deploy). */
  async action(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    fields: Fields = {},
    query: Record<string, string> = {},
  ): Promise<Record<string, unknown>> {
    return this.call(method, path, query, fields);
  }

  async delete(path: string): Promise<void> {
    await this.call('DELETE', path, {});
  }

  private async call<T>(method: string, path: string, query: Record<string, string>, fields?: Fields): Promise<T> {
    const write = method !== 'GET';
    this.onCall(method, write);
    const url = new URL(path, this.access.adminUrl);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const form = new URLSearchParams();
    if (write) {
      form.set('access_token', this.access.token);
      for (const [k, v] of Object.entries(fields ?? {})) if (v !== undefined) form.set(k, String(v));
    } else {
      url.searchParams.set('access_token', this.access.token);
    }
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: method as 'GET',
        dispatcher: this.dispatcher,
        headers: { accept: 'application/json', ...(write ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: write ? form.toString() : undefined,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
    } catch (error) {
      throw new ThreescaleUnreachableError(
        method,
        path,
        error instanceof Error ? ((error as { code?: string }).code ?? error.message) : String(error),
      );
    }
    const text = await response.body.text();
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        if (response.statusCode < 400) throw new ThreescaleApiError(response.statusCode, method, path, {}, 'answer is not JSON');
      }
    }
    if (response.statusCode >= 400) {
      const { fields: errors, detail } = describeErrorBody(body);
      throw new ThreescaleApiError(response.statusCode, method, path, errors, detail || text.slice(0, 200));
    }
    return body as T;
  }
}

function unwrapList<T>(body: Record<string, unknown>, listKey: string, itemKey: string): T[] {
  // The list key is the plural 3scale uses ("backend_apis", "plans"); an answer under another key is still read
  // rather than taken for an empty list (which would make the caller create duplicates).
  // Some lists (backend_usages) are a bare array.
  const list = Array.isArray(body) ? body : Array.isArray(body[listKey]) ? body[listKey] : Object.values(body).find(Array.isArray);
  if (!Array.isArray(list)) throw new ThreescaleApiError(200, 'GET', listKey, {}, `answer has no "${listKey}" list`);
  return list.map(
    (entry) => (typeof entry === 'object' && entry !== null && itemKey in entry ? (entry as Record<string, unknown>)[itemKey] : entry) as T,
  );
}

function unwrapItem(body: Record<string, unknown>, itemKey: string, path: string): object {
  const item = body[itemKey];
  if (typeof item !== 'object' || item === null) throw new ThreescaleApiError(200, 'read', path, {}, `answer has no "${itemKey}"`);
  return item;
}
