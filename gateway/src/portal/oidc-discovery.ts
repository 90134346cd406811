/**
 * OIDC discovery of a portal configuration (gateway.md §2.5): for each
 * service with `proxy.oidc_issuer_endpoint`, the issuer's
 * `/.well-known/openid-configuration` (Basic auth from the endpoint's
 * `client_id:client_secret@`), then its JWKS, each RSA key turned into a PEM
 * public key by `kid`. The result is the configuration's top-level `oidc`
 * array, index-aligned with `services`, which the request path's JWT
 * validation reads. A failed discovery gives `false` for that service and is
 * logged at APICAST_OIDC_LOG_LEVEL. Entries are cached per issuer (LRU 100)
 * for APICAST_CONFIGURATION_CACHE seconds (0 = not cached, < 0 = forever).
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ConfigurationJson, OidcEntryJson, ServiceJson } from '../config/types.js';
import { describeStatus, httpGet, type HttpGetOptions } from './http-get.js';
import type { LogSink } from './log-sink.js';

/** nginx levels of APICAST_OIDC_LOG_LEVEL (gateway.md §1.6). */
export const OIDC_LOG_LEVELS = ['debug', 'info', 'notice', 'warn', 'err', 'crit', 'alert', 'emerg'] as const;
export type OidcLogLevel = (typeof OIDC_LOG_LEVELS)[number];

export interface OidcDiscoveryOptions {
  http: Omit<HttpGetOptions, 'authorization'>;
  cacheSeconds: number;
  log: LogSink;
  /** APICAST_OIDC_LOG_LEVEL (default `err`). */
  logLevel: OidcLogLevel;
}

type Entry = OidcEntryJson | false;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `err` → the sink's error, `notice` → info, … */
export function oidcLogger(log: LogSink, level: OidcLogLevel): (message: string) => void {
  if (level === 'debug')
    return (m) => {
      log.debug(m);
    };
  if (level === 'info' || level === 'notice')
    return (m) => {
      log.info(m);
    };
  if (level === 'warn')
    return (m) => {
      log.warn(m);
    };
  return (m) => {
    log.error(m);
  };
}

/** The endpoint without its userinfo (never logged with it), and the Basic credentials it carried. */
function splitIssuer(endpoint: string): { base: string; authorization: string | undefined } {
  const url = new URL(endpoint);
  const authorization =
    url.username || url.password
      ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
      : undefined;
  url.username = '';
  url.password = '';
  return { base: url.toString().replace(/\/+$/, ''), authorization };
}

/** RSA JWKs → `{kid: {...jwk, pem}}`; other key types are unsupported (skipped). */
export function keysFromJwks(jwks: unknown): Record<string, Record<string, unknown>> {
  const keys: Record<string, Record<string, unknown>> = {};
  if (!isObject(jwks) || !Array.isArray(jwks.keys)) return keys;
  for (const jwk of jwks.keys) {
    if (!isObject(jwk) || jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') continue;
    try {
      const pem = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e } as JsonWebKey, format: 'jwk' })
        .export({ type: 'spki', format: 'pem' })
        .toString();
      keys[typeof jwk.kid === 'string' ? jwk.kid : ''] = { ...jwk, pem };
    } catch {
      // A malformed key is not usable: leave it out, the others still are.
    }
  }
  return keys;
}

export class OidcDiscovery {
  private readonly cache: LRUCache<string, { entry: Entry }> | undefined;
  private readonly logFailure: (message: string) => void;

  constructor(private readonly options: OidcDiscoveryOptions) {
    this.logFailure = oidcLogger(options.log, options.logLevel);
    if (options.cacheSeconds !== 0) {
      this.cache = new LRUCache({ max: 100, ...(options.cacheSeconds > 0 ? { ttl: options.cacheSeconds * 1000 } : {}) });
    }
  }

  /** The entry for one issuer endpoint (cached), `false` when discovery failed. */
  async discover(issuerEndpoint: string): Promise<Entry> {
    const cached = this.cache?.get(issuerEndpoint);
    if (cached) return cached.entry;
    const entry = await this.fetch(issuerEndpoint);
    this.cache?.set(issuerEndpoint, { entry });
    return entry;
  }

  /** The configuration with its `oidc` array filled for the services that name an issuer. */
  async addEntries(configuration: ConfigurationJson): Promise<ConfigurationJson> {
    // Portal JSON: an entry of services can be null.
    const services: readonly (ServiceJson | null)[] = configuration.services ?? [];
    if (!services.some((s) => typeof s?.proxy?.oidc_issuer_endpoint === 'string' && s.proxy.oidc_issuer_endpoint !== ''))
      return configuration;
    const oidc = await Promise.all(
      services.map(async (service): Promise<Entry> => {
        const endpoint = service?.proxy?.oidc_issuer_endpoint;
        if (!service || typeof endpoint !== 'string' || endpoint === '') return false;
        const entry = await this.discover(endpoint);
        return entry === false ? false : { ...entry, service_id: service.id as number | string };
      }),
    );
    return { ...configuration, oidc };
  }

  private async fetch(issuerEndpoint: string): Promise<Entry> {
    let base: string;
    let authorization: string | undefined;
    try {
      ({ base, authorization } = splitIssuer(issuerEndpoint));
    } catch {
      this.logFailure('OIDC discovery failed: oidc_issuer_endpoint is not a URL');
      return false;
    }
    const discoveryUrl = `${base}/.well-known/openid-configuration`;
    const answer = await httpGet(discoveryUrl, { ...this.options.http, authorization });
    if (answer.status !== 200 || !/^application\/json\b/i.test(answer.contentType ?? '')) {
      const why = answer.status === 200 ? `Content-Type ${answer.contentType ?? '(none)'} is not application/json` : describeStatus(answer);
      this.logFailure(`OIDC discovery failed for ${discoveryUrl}: ${why}`);
      return false;
    }
    let config: unknown;
    try {
      config = JSON.parse(answer.body);
    } catch (error) {
      this.logFailure(`OIDC discovery failed for ${discoveryUrl}: invalid JSON: ${(error as Error).message}`);
      return false;
    }
    if (!isObject(config) || typeof config.jwks_uri !== 'string') {
      this.logFailure(`OIDC discovery failed for ${discoveryUrl}: jwks_uri missing`);
      return false;
    }
    const jwksAnswer = await httpGet(config.jwks_uri, this.options.http);
    let jwks: unknown;
    try {
      jwks = jwksAnswer.status === 200 ? JSON.parse(jwksAnswer.body) : undefined;
    } catch {
      jwks = undefined;
    }
    if (jwks === undefined) {
      this.logFailure(
        `OIDC discovery failed for ${config.jwks_uri}: ${jwksAnswer.status === 200 ? 'invalid JSON' : describeStatus(jwksAnswer)}`,
      );
      return false;
    }
    const entry: OidcEntryJson = { config, keys: keysFromJwks(jwks) };
    if (typeof config.issuer === 'string') entry.issuer = config.issuer;
    return entry;
  }
}
