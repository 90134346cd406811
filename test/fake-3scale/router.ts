/**
 * Path patterns like `/admin/api/services/:service_id/metrics/:id.json` to
 * handlers. Routes are tried in the order added, so fixed segments
 * (`latest.json`, `find.json`) are added before the `:id.json` they would
 * otherwise be taken for.
 */
import type { Fields } from './body.js';
import type { Reply } from './reply.js';
import { notFound } from './reply.js';
import type { State, Tenant } from './state.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What every handler gets: the fake's state, where the request is for, and what it sent. */
export interface RequestContext {
  state: State;
  settings: FakeSettings;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Fields;
}

/** Admin API requests belong to the tenant whose access token they carry. */
export interface AdminContext extends RequestContext {
  tenant: Tenant;
}

export interface FakeSettings {
  /** The Service Management API the gateway is told to use (`proxy.backend` of every proxy config). */
  backendEndpoint: string;
  /** The wildcard domain of default staging/production endpoints. */
  gatewayDomain: string;
  /** The fake's own base URL, shown as every tenant's `admin_base_url` (one server answers for all of them). */
  url: string;
}

export type Handler<C> = (context: C) => Reply;

interface Route<C> {
  method: Method;
  regex: RegExp;
  names: string[];
  handler: Handler<C>;
}

function compile(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) =>
      segment.replace(/[.]/g, '\\.').replace(/:(\w+)/g, (_, name: string) => {
        names.push(name);
        return '([^/]+?)';
      }),
    )
    .join('/');
  return { regex: new RegExp(`^${source}$`), names };
}

export class Router<C> {
  private readonly routes: Route<C>[] = [];

  add(method: Method, pattern: string, handler: Handler<C>): this {
    this.routes.push({ method, handler, ...compile(pattern) });
    return this;
  }

  match(method: string, path: string): { handler: Handler<C>; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1]);
      });
      return { handler: route.handler, params };
    }
    return undefined;
  }
}

/** A numeric path id, or 404 as porta's `find` answers for anything else. */
export function idParam(context: RequestContext, name: string): number {
  const raw = context.params[name] ?? '';
  if (!/^\d+$/.test(raw)) throw notFound();
  return Number(raw);
}

/** A row of a tenant's table, or 404. */
export function found<T>(row: T | undefined): T {
  if (row === undefined) throw notFound();
  return row;
}

/** 404 for a row that exists but under another parent (porta scopes every `find` by its parent). */
export function missing(): never {
  throw notFound();
}
