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
import { asError } from '../../src/shared/errors.js';

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
  } catch {
    return '(invalid proxy URL)';
  }
}

function authority(upstream: Upstream): string {
  return `${upstream.host.includes(':') ? `[${upstream.host}]` : upstream.host}:${upstream.port}`;
}

function sni(upstream: Upstream, tls: ProxyTls | undefined): { servername?: string } {
  const name = tls?.servername ?? upstream.host;
  return isIP(name) ? {} : { servername: name };
}

const TUNNEL_TIMEOUT_MS = 60_000;

interface TunnelOptions {
  proxyHost: string;
  proxyPort: number;
  proxyTls: boolean;
  authorization: string | undefined;
  lookup: LookupFunction | undefined;
  tls: { rejectUnauthorized: boolean; ca?: string | undefined; cert?: string | undefined; key?: string | undefined; servername?: string };
}

/**
 * Opens `CONNECT authority` on the proxy (with Proxy-Authorization when given) and resolves with the raw
 * socket of the tunnel. A refusal fails with `proxyStatus` set to the proxy's answer.
 */
function openConnectTunnel(options: TunnelOptions, authority: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error: Error | null, socket?: Socket): void => {
      if (done) {
        socket?.destroy();
        return;
      }
      done = true;
      clearTimeout(timer);
      if (error) reject(error);
      else if (socket) resolve(socket);
      else reject(new Error(`CONNECT ${authority}: no tunnel socket`));
    };
    const connectRequest = (options.proxyTls ? httpsRequest : httpRequest)({
      host: options.proxyHost,
      port: options.proxyPort,
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...(options.authorization ? { 'proxy-authorization': options.authorization } : {}) },
      agent: false,
      // An https:// proxy (HTTPS_PROXY=https://…): TLS with the proxy first, verified as the upstream would be.
      ...(options.proxyTls
        ? { rejectUnauthorized: options.tls.rejectUnauthorized, ...(options.tls.ca ? { ca: options.tls.ca } : {}) }
        : {}),
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
    const timer = setTimeout(() => {
      connectRequest.destroy();
      finish(Object.assign(new Error(`CONNECT ${authority} through the proxy timed out`), { code: 'UND_ERR_CONNECT_TIMEOUT' }));
    }, TUNNEL_TIMEOUT_MS);
    connectRequest.once('connect', (answer: IncomingMessage, socket: Socket, head: Buffer) => {
      if (answer.statusCode !== 200) {
        socket.destroy();
        finish(
          Object.assign(new Error(`Proxy response (${answer.statusCode}) !== 200 when HTTP Tunneling`), { proxyStatus: answer.statusCode }),
        );
        return;
      }
      if (head.length > 0) socket.unshift(head);
      finish(null, socket);
    });
    connectRequest.once('response', (answer: IncomingMessage) => {
      answer.resume();
      finish(
        Object.assign(new Error(`Proxy response (${answer.statusCode}) !== 200 when HTTP Tunneling`), { proxyStatus: answer.statusCode }),
      );
    });
    connectRequest.once('error', (error: Error) => {
      finish(error);
    });
    connectRequest.end();
  });
}

/** TLS with the destination inside an open tunnel, offering `alpn`. */
function secureTunnel(socket: Socket, tls: TunnelOptions['tls'], alpn: string[]): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const secure = tlsConnect({ socket, ...tls, ALPNProtocols: alpn });
    const onTlsError = (error: Error): void => {
      secure.destroy();
      reject(error);
    };
    secure.once('secureConnect', () => {
      secure.removeListener('error', onTlsError);
      resolve(secure);
    });
    secure.once('error', onTlsError);
  });
}

const authorityOf = (hostname: string, port: string | number): string => `${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`;

function tunnelOptions(proxy: URL, lookup: LookupFunction | undefined, upstream: Upstream, tls: ProxyTls | undefined): TunnelOptions {
  return {
    proxyHost: proxy.hostname.replace(/^\[|\]$/g, ''),
    proxyPort: Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80)),
    proxyTls: proxy.protocol === 'https:',
    authorization: proxyAuthorization(proxy),
    lookup,
    tls: { rejectUnauthorized: tls?.rejectUnauthorized ?? false, ca: tls?.ca, cert: tls?.cert, key: tls?.key, ...sni(upstream, tls) },
  };
}

/**
 * A connection to `upstream` through the forward proxy for protocols that need the socket itself
 * (websocket upgrades, HTTP/2): always a CONNECT tunnel, TLS inside it for https upstreams (offering
 * `alpn`), so the proxy never has to understand the protocol.
 */
export async function connectThroughProxy(
  proxyUrl: string,
  upstream: Upstream,
  options: { lookup?: LookupFunction; tls?: ProxyTls; alpn: string[] },
): Promise<Socket> {
  const tunnelled = tunnelOptions(new URL(proxyUrl), options.lookup, upstream, options.tls);
  const socket = await openConnectTunnel(tunnelled, authorityOf(upstream.host, upstream.port));
  return upstream.scheme === 'https' ? secureTunnel(socket, tunnelled.tls, options.alpn) : socket;
}

/** An undici connector whose connections are CONNECT tunnels with TLS to the destination inside. */
function tunnelConnector(options: TunnelOptions): buildConnector.connector {
  return (target, callback) => {
    openConnectTunnel(options, authorityOf(target.hostname, target.port || 443))
      .then((socket) => secureTunnel(socket, options.tls, ['http/1.1']))
      .then(
        (secure) => {
          callback(null, secure);
        },
        (error: unknown) => {
          callback(asError(error), null);
        },
      );
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
      const dispatcher = this.cached(
        `absolute|${proxyOrigin}`,
        () => new Pool(proxyOrigin, this.lookup ? { connect: { lookup: this.lookup } } : {}),
      );
      return { dispatcher, origin: proxyOrigin, path: `http://${authority(upstream)}${pathAndQuery}`, proxyHeaders, mode: 'absolute' };
    }
    if (options.camel) {
      // TLS is negotiated with the proxy, presenting the upstream's name.
      const dispatcher = this.cached(
        `camel|${proxyOrigin}|${upstream.host}|${tlsKey}`,
        () =>
          new Pool(`https://${proxy.host}`, {
            connect: {
              rejectUnauthorized: tls?.rejectUnauthorized ?? false,
              ca: tls?.ca,
              cert: tls?.cert,
              key: tls?.key,
              ...sni(upstream, tls),
            },
          }),
      );
      return {
        dispatcher,
        origin: `https://${proxy.host}`,
        path: `https://${authority(upstream)}${pathAndQuery}`,
        proxyHeaders,
        mode: 'camel',
      };
    }
    // A pool towards the upstream whose connections are CONNECT tunnels: the request itself (headers
    // as given, repeated ones included) and the TLS settings are those of a direct connection.
    const dispatcher = this.cached(
      `connect|${proxyOrigin}|${auth ?? ''}|${tlsKey}|${upstream.origin}`,
      () =>
        new Pool(upstream.origin, {
          connect: tunnelConnector(tunnelOptions(proxy, this.lookup, upstream, tls)),
        }),
    );
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
