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
import { Pool, type buildConnector, type Dispatcher } from 'undici';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
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

const TUNNEL_TIMEOUT_MS = 60_000;

/**
 * An undici connector that opens `CONNECT host:port` on the proxy (with Proxy-Authorization when
 * given) and hands back the TLS socket negotiated with the destination inside the tunnel. A
 * refusal fails with `proxyStatus` set to the proxy's answer.
 */
function tunnelConnector(options: {
  proxyHost: string; proxyPort: number; proxyTls: boolean; authorization: string | undefined; lookup: LookupFunction | undefined;
  tls: { rejectUnauthorized: boolean; ca?: string | undefined; cert?: string | undefined; key?: string | undefined; servername?: string };
}): buildConnector.connector {
  return (target, callback) => {
    const authority = `${target.hostname.includes(':') ? `[${target.hostname}]` : target.hostname}:${target.port || 443}`;
    let done = false;
    const finish = (error: Error | null, socket?: Socket): void => {
      if (done) { socket?.destroy(); return; }
      done = true;
      clearTimeout(timer);
      if (error) callback(error, null); else callback(null, socket!);
    };
    const connectRequest = (options.proxyTls ? httpsRequest : httpRequest)({
      host: options.proxyHost, port: options.proxyPort, method: 'CONNECT', path: authority,
      headers: { host: authority, ...(options.authorization ? { 'proxy-authorization': options.authorization } : {}) },
      agent: false,
      // An https:// proxy (HTTPS_PROXY=https://…): TLS with the proxy first, verified as the upstream would be.
      ...(options.proxyTls ? { rejectUnauthorized: options.tls.rejectUnauthorized, ...(options.tls.ca ? { ca: options.tls.ca } : {}) } : {}),
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
    const timer = setTimeout(() => {
      connectRequest.destroy();
      finish(Object.assign(new Error(`CONNECT ${authority} through the proxy timed out`), { code: 'UND_ERR_CONNECT_TIMEOUT' }));
    }, TUNNEL_TIMEOUT_MS);
    connectRequest.once('connect', (answer: IncomingMessage, socket: Socket, head: Buffer) => {
      if (answer.statusCode !== 200) {
        socket.destroy();
        finish(Object.assign(new Error(`Proxy response (${answer.statusCode}) !== 200 when HTTP Tunneling`), { proxyStatus: answer.statusCode }));
        return;
      }
      if (head.length > 0) socket.unshift(head);
      const secure = tlsConnect({ socket, ...options.tls, ALPNProtocols: ['http/1.1'] });
      secure.once('secureConnect', () => { secure.removeListener('error', onTlsError); finish(null, secure); });
      const onTlsError = (error: Error): void => { secure.destroy(); finish(error); };
      secure.once('error', onTlsError);
    });
    connectRequest.once('response', (answer: IncomingMessage) => {
      answer.resume();
      finish(Object.assign(new Error(`Proxy response (${answer.statusCode}) !== 200 when HTTP Tunneling`), { proxyStatus: answer.statusCode }));
    });
    connectRequest.once('error', (error: Error) => finish(error));
    connectRequest.end();
  };
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
    // A pool towards the upstream whose connections are CONNECT tunnels: the request itself (headers
    // as given, repeated ones included) and the TLS settings are those of a direct connection.
    const dispatcher = this.cached(`connect|${proxyOrigin}|${auth ?? ''}|${tlsKey}|${upstream.origin}`, () => new Pool(upstream.origin, {
      connect: tunnelConnector({
        proxyHost: proxy.hostname.replace(/^\[|\]$/g, ''),
        proxyPort: Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80)),
        proxyTls: proxy.protocol === 'https:',
        authorization: auth,
        lookup: this.lookup,
        tls: { rejectUnauthorized: tls?.rejectUnauthorized ?? false, ca: tls?.ca, cert: tls?.cert, key: tls?.key, ...sni(upstream, tls) },
      }),
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
