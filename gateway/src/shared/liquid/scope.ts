/**
 * The variables every policy template sees (policies.md §4.3): request facts
 * plus the layers of the policy context. Built per request by the caller from
 * whatever request object it has; this module only fixes the names.
 */
import { Drop } from 'liquidjs';

/** Header value as templates see it: a string, or an array when repeated. */
export type HeaderValue = string | string[] | undefined;

/**
 * `headers.x_api_key`, `headers['X-Api-Key']` and `headers['x-api-key']` are
 * the same header (case-insensitive, `_` ≡ `-`).
 */
/** What a live header source must offer (the gateway's HeaderMap does). */
export interface LiveHeaders extends Iterable<[string, string[]]> {
  getAll(name: string): string[];
}

export class HeadersDrop extends Drop {
  private readonly byName = new Map<string, HeaderValue>();
  private live: LiveHeaders | undefined;

  /** A view over a live header map: nothing is copied until a template asks for a header. */
  static live(headers: LiveHeaders): HeadersDrop {
    const drop = new HeadersDrop([]);
    drop.live = headers;
    return drop;
  }

  constructor(headers: Iterable<[string, HeaderValue]> | Record<string, HeaderValue>) {
    super();
    const entries = Symbol.iterator in headers ? headers : Object.entries(headers);
    for (const [name, given] of entries) {
      let value = given;
      if (value === undefined) continue;
      if (Array.isArray(value) && value.length === 1) value = value[0];
      const key = HeadersDrop.normalize(name);
      const previous = this.byName.get(key);
      if (previous === undefined) this.byName.set(key, value);
      else this.byName.set(key, [...(Array.isArray(previous) ? previous : [previous]), ...(Array.isArray(value) ? value : [value])]);
    }
  }

  static normalize(name: string): string {
    return name.toLowerCase().replace(/_/g, '-');
  }

  get(name: string): HeaderValue {
    if (this.live) {
      let values = this.live.getAll(name);
      if (values.length === 0 && name.includes('_')) values = this.live.getAll(name.replace(/_/g, '-'));
      return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
    }
    return this.byName.get(HeadersDrop.normalize(name));
  }

  override liquidMethodMissing(key: string | number): HeaderValue {
    return this.get(String(key));
  }

  /** Plain object form (liquid_context_debug, `| json`). */
  toJSON(): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    if (this.live) {
      for (const [name, values] of this.live) out[HeadersDrop.normalize(name)] = values.length === 1 ? values[0] : values;
      return out;
    }
    for (const [k, v] of this.byName) if (v !== undefined) out[k] = v;
    return out;
  }
}

/** The request facts of §4.3 a template may use. */
export interface LiquidRequestFacts {
  /** Current decoded request path. */
  uri: string;
  /** Request host, lower-case, no port. */
  host: string;
  remote_addr?: string;
  remote_port?: number | string;
  scheme: 'http' | 'https';
  server_addr?: string;
  server_port?: number | string;
  http_method: string;
  request_id?: string;
  headers: HeadersDrop;
}

/** The §4.3 variables (`uri`, `host`, `headers`, …) as a scope layer. */
export function requestVariables(facts: LiquidRequestFacts): Record<string, unknown> {
  return {
    uri: facts.uri,
    host: facts.host,
    remote_addr: facts.remote_addr,
    remote_port: facts.remote_port,
    scheme: facts.scheme,
    server_addr: facts.server_addr,
    server_port: facts.server_port,
    http_method: facts.http_method,
    request_id: facts.request_id,
    headers: facts.headers,
    path: '',
  };
}

/**
 * Merges scope layers into one plain object; the first layer that defines a
 * key wins (policies.md §2: request-local values shadow chain exports).
 */
export function mergeScopes(...layers: (object | undefined)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    if (layer === undefined) continue;
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) out[k] = v;
  }
  return out;
}
