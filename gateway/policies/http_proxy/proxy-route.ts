/**
 * How an upstream request goes through the forward proxy that
 * `get_http_proxy` (http_proxy / camel policies) names — gateway.md §4.9,
 * policies.md §5.5/§5.14 — as an undici dispatcher plus the request target:
 *   - http upstream: to the proxy, absolute-form target `http://host:port/path`
 *     (the Host header stays the upstream's);
 *   - https upstream: CONNECT tunnel through the proxy, then TLS with the
 *     upstream (origin-form target);
 *   - https upstream with camel: TLS with the proxy itself (SNI = upstream
 *     host) and an absolute `https://host:port/path` target, no CONNECT.
 * Dispatchers are kept per proxy, mode and TLS settings, like the gateway's
 * upstream pools. For the upstream client: `dispatcher.request({ origin, path, … })`.
 */
import { Pool, ProxyAgent, type Dispatcher } from 'undici';
import { isIP, type LookupFunction } from 'node:net';
import type { Upstream } from '../../src/upstream/upstream.js';
import { materialDigest } from '../../src/shared/tls/material-digest.js';

export interface ProxyTls {
  rejectUnauthorized: boolean;
  ca?: string;
  cert?: string;
  key?: string;
  /** SNI for the upstream; defaults to the upstream host. */
  servername?: string;
}

export interface ProxyRoute {
  dispatcher: Dispatcher;
  /** Pass as `origin` to dispatcher.request (the tunnel's destination for CONNECT). */
  origin: string;
  /** Request target to send. */
  path: string;
  /** Headers to add to the request (absolute and camel modes: Proxy-Authorization). */
  proxyHeaders: string[];
  mode: 'absolute' | 'connect' | 'camel';
}

/** `Proxy-Authorization: Basic …` from the proxy URL's userinfo (percent-decoded), or undefined. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username && !proxy.password) return undefined;
  return `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
}

/** The proxy URL without its userinfo: safe to log. */
export function redactedProxy(proxyUrl: string): string {
  try {
    const url = new URL(proxyUrl);
    return `${url.protocol}//${url.host}`;
  } catch { return '(invalid proxy URL)'; }
}

function authority(upstream: Upstream): string {
  return `${upstream.host.includes(':') ? `[${upstream.host}]` : upstream.host}:${upstream.port}`;
}

function sni(upstream: Upstream, tls: ProxyTls | undefined): { servername?: string } {
  const name = tls?.servername ?? upstream.host;
  return isIP(name) ? {} : { servername: name };
}

/** The forward-proxy dispatchers of one gateway (owned by its runtime, closed with it). */
export class ProxyDispatchers {
  private readonly dispatchers = new Map<string, Dispatcher>();

  /** `lookup`: the gateway's resolver (net/outbound.ts), for the proxy's own name. */
  constructor(private readonly lookup?: LookupFunction) {}

  /** `pathAndQuery` is what would be sent to the upstream directly (`/path?query`). */
  route(proxyUrl: string, upstream: Upstream, pathAndQuery: string, options: { camel?: boolean; tls?: ProxyTls } = {}): ProxyRoute {
    const proxy = new URL(proxyUrl);
    const proxyOrigin = `${proxy.protocol}//${proxy.host}`;
    const tls = options.tls;
    const auth = proxyAuthorization(proxy);
    const proxyHeaders = auth ? ['proxy-authorization', auth] : [];
    const tlsKey = `${tls?.rejectUnauthorized ?? false}|${tls?.servername ?? ''}|${materialDigest(tls?.ca)}|${materialDigest(tls?.cert)}|${materialDigest(tls?.key)}`;
    if (upstream.scheme === 'http') {
      const dispatcher = this.cached(`absolute|${proxyOrigin}`, () => new Pool(proxyOrigin, this.lookup ? { connect: { lookup: this.lookup } } : {}));
      return { dispatcher, origin: proxyOrigin, path: `http://${authority(upstream)}${pathAndQuery}`, proxyHeaders, mode: 'absolute' };
    }
    if (options.camel) {
      // TLS is negotiated with the proxy, presenting the upstream's name.
      const dispatcher = this.cached(`camel|${proxyOrigin}|${upstream.host}|${tlsKey}`, () => new Pool(`https://${proxy.host}`, {
        connect: { rejectUnauthorized: tls?.rejectUnauthorized ?? false, ca: tls?.ca, cert: tls?.cert, key: tls?.key, ...sni(upstream, tls) },
      }));
      return { dispatcher, origin: `https://${proxy.host}`, path: `https://${authority(upstream)}${pathAndQuery}`, proxyHeaders, mode: 'camel' };
    }
    const dispatcher = this.cached(`connect|${proxyOrigin}|${auth ?? ''}|${tlsKey}|${upstream.host}`, () => new ProxyAgent({
      uri: proxyOrigin,
      ...(auth ? { token: auth } : {}),
      ...(this.lookup ? { proxyTls: { lookup: this.lookup } } : {}),
      proxyTunnel: true,
      requestTls: { rejectUnauthorized: tls?.rejectUnauthorized ?? false, ca: tls?.ca, cert: tls?.cert, key: tls?.key, ...sni(upstream, tls) },
    }));
    return { dispatcher, origin: upstream.origin, path: pathAndQuery, proxyHeaders: [], mode: 'connect' };
  }

  async close(): Promise<void> {
    await Promise.all([...this.dispatchers.values()].map((d) => d.close().catch(() => undefined)));
    this.dispatchers.clear();
  }

  private cached(key: string, create: () => Dispatcher): Dispatcher {
    let dispatcher = this.dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = create();
      this.dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }
}
