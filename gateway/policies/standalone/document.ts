/**
 * The standalone configuration document (policies.md §6.7): `global`,
 * `server.listen[]`, `routes[]` (nested), `internal[]` services with their
 * policy chains, `external[]` upstreams. Validated with the gateway's ajv
 * and cross-checked (every destination names an existing internal service or
 * external upstream, external servers are usable URLs) so a bad document is
 * refused at load with the field named.
 */
import { createAjv, describeErrors } from '../../src/chain/ajv.js';
import { PolicyConfigurationError } from '../../src/chain/policy.js';
import type { PolicyChainEntryJson } from '../../src/config/types.js';
import { parseUpstream, type Upstream } from '../../src/upstream/upstream.js';

export interface RouteMatch {
  server_port?: string | number;
  uri_path?: string;
  http_method?: string;
  http_host?: string;
  always?: boolean;
}

export interface RouteDestination {
  service?: string;
  upstream?: string;
  http_response?: { status?: number; body?: string } | number;
}

export interface RouteJson {
  name?: string;
  match?: RouteMatch;
  destination?: RouteDestination;
  routes?: RouteJson[];
}

export interface InternalServiceJson {
  name: string;
  policy_chain?: { policy: string; version?: string; configuration?: Record<string, unknown> }[];
  upstream?: string;
}

export interface ExternalJson {
  name: string;
  server: string;
  /** Only round robin over the server's resolved addresses (the gateway's own peer selection) exists. */
  load_balancer?: 'round_robin';
  /** Upstream retries for requests sent to this server (cases: APICAST_UPSTREAM_RETRY_CASES). */
  retries?: number;
}

/** nginx log levels (policies.md §6.8) and the pino level each maps to. */
export const LOG_LEVELS = {
  stderr: 'fatal',
  emerg: 'fatal',
  alert: 'fatal',
  crit: 'fatal',
  err: 'error',
  error: 'error',
  warn: 'warn',
  notice: 'info',
  info: 'info',
  debug: 'debug',
} as const;

/** Seconds, as the upstream_connection policy's fields. */
export interface UpstreamOptionsJson {
  connect_timeout?: number;
  send_timeout?: number;
  read_timeout?: number;
}

export interface GlobalJson {
  /** Log level of the requests this document routes. */
  log_level?: keyof typeof LOG_LEVELS;
  /** Default upstream timeouts for every attempt (an upstream_connection policy in the chain wins). */
  upstream?: UpstreamOptionsJson;
  [other: string]: unknown;
}

export interface StandaloneDocument {
  global?: GlobalJson;
  server?: { listen?: Record<string, unknown>[] };
  routes?: RouteJson[];
  internal?: InternalServiceJson[];
  external?: ExternalJson[];
}

const ROUTE = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    match: {
      type: 'object',
      properties: {
        server_port: { type: ['string', 'integer'] },
        uri_path: { type: 'string' },
        http_method: { type: 'string' },
        http_host: { type: 'string' },
        always: { type: 'boolean' },
      },
    },
    destination: {
      type: 'object',
      properties: {
        service: { type: 'string' },
        upstream: { type: 'string' },
        http_response: {
          anyOf: [
            { type: 'integer', minimum: 100, maximum: 599 },
            { type: 'object', properties: { status: { type: 'integer', minimum: 100, maximum: 599 }, body: { type: 'string' } } },
          ],
        },
      },
    },
    routes: { type: 'array', items: { $ref: '#/definitions/route' } },
  },
} as const;

const SCHEMA = {
  type: 'object',
  definitions: { route: ROUTE },
  properties: {
    global: {
      type: 'object',
      properties: {
        log_level: { enum: Object.keys(LOG_LEVELS) },
        upstream: {
          type: 'object',
          additionalProperties: false,
          properties: {
            connect_timeout: { type: 'number', exclusiveMinimum: 0 },
            send_timeout: { type: 'number', exclusiveMinimum: 0 },
            read_timeout: { type: 'number', exclusiveMinimum: 0 },
          },
        },
      },
    },
    server: {
      type: 'object',
      properties: {
        listen: {
          type: 'array',
          items: {
            type: 'object',
            required: ['port'],
            properties: {
              port: { type: ['integer', 'string'] },
              name: { type: 'string' },
              protocol: { type: 'string' },
              proxy_protocol: { type: 'boolean' },
              tls: { type: 'object' },
            },
          },
        },
      },
    },
    routes: { type: 'array', items: { $ref: '#/definitions/route' } },
    internal: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string', minLength: 1 },
          upstream: { type: 'string' },
          policy_chain: {
            type: 'array',
            items: {
              type: 'object',
              required: ['policy'],
              properties: { policy: { type: 'string' }, version: { type: 'string' }, configuration: { type: 'object' } },
            },
          },
        },
      },
    },
    external: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'server'],
        properties: {
          name: { type: 'string', minLength: 1 },
          server: { type: 'string' },
          // Only what the gateway does: refusing others beats silently ignoring them.
          load_balancer: { enum: ['round_robin'] },
          retries: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
} as const;

const validate = createAjv().compile<StandaloneDocument>(SCHEMA);

export interface ValidatedDocument {
  document: StandaloneDocument;
  internal: Map<string, InternalServiceJson>;
  external: Map<string, { json: ExternalJson; upstream: Upstream }>;
}

function checkDestinations(
  routes: readonly RouteJson[],
  field: string,
  internal: ReadonlyMap<string, unknown>,
  external: ReadonlyMap<string, unknown>,
): void {
  routes.forEach((route, index) => {
    const here = `${field}[${index}]`;
    const destination = route.destination;
    if (destination?.service !== undefined && !internal.has(destination.service)) {
      throw new PolicyConfigurationError(`${here}.destination.service`, `no internal service named "${destination.service}"`);
    }
    if (destination?.upstream !== undefined && !external.has(destination.upstream)) {
      throw new PolicyConfigurationError(`${here}.destination.upstream`, `no external upstream named "${destination.upstream}"`);
    }
    if (route.routes) checkDestinations(route.routes, `${here}.routes`, internal, external);
  });
}

/** Throws PolicyConfigurationError (field prefixed with `url:`) for anything unusable. */
export function validateDocument(raw: unknown): ValidatedDocument {
  if (!validate(raw))
    throw new PolicyConfigurationError('url', `invalid standalone document: ${describeErrors(validate.errors, 'document')}`);
  const document = raw;
  const external = new Map<string, { json: ExternalJson; upstream: Upstream }>();
  (document.external ?? []).forEach((json, index) => {
    try {
      external.set(json.name, { json, upstream: parseUpstream(json.server) });
    } catch (error) {
      throw new PolicyConfigurationError(`url: document.external[${index}].server`, (error as Error).message);
    }
  });
  const internal = new Map<string, InternalServiceJson>();
  (document.internal ?? []).forEach((json, index) => {
    if (json.upstream !== undefined && !external.has(json.upstream)) {
      throw new PolicyConfigurationError(`url: document.internal[${index}].upstream`, `no external upstream named "${json.upstream}"`);
    }
    internal.set(json.name, json);
  });
  checkDestinations(document.routes ?? [], 'url: document.routes', internal, external);
  return { document, internal, external };
}

/** The internal service's chain in the gateway's chain-entry form. */
export function chainEntries(service: InternalServiceJson): PolicyChainEntryJson[] {
  return (service.policy_chain ?? []).map((entry) => ({
    name: entry.policy,
    version: entry.version ?? 'builtin',
    configuration: entry.configuration ?? {},
  }));
}
