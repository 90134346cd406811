/**
 * Outgoing connections of this process, in one place: the DNS resolver's
 * lookup and the forward-proxy dispatchers (HTTP_PROXY / HTTPS_PROXY /
 * NO_PROXY). The worker start-up creates one and hands it to the gateway's
 * runtime; upstream proxying, backend calls and portal downloads use it
 * (spec gateway.md §1.8: the proxy env vars apply to all outgoing HTTP).
 * Without one (tests, embedded use) `directOutbound` applies: the system
 * resolver, nothing proxied.
 */
import { lookup as systemLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Dispatcher, ProxyAgent } from 'undici';
import type { LogSink } from '../portal/log-sink.js';
import { silentLog } from '../portal/log-sink.js';
import { DnsResolver } from './dns-resolver.js';
import { proxyFor, type ProxyEnv } from './proxy-selection.js';

export interface Outbound {
  /** For `connect: { lookup }` of undici pools and net.connect. */
  readonly lookup: LookupFunction;
  readonly resolver: DnsResolver | undefined;
  /** The forward proxy URL (userinfo included) `url` must go through, undefined to connect directly. */
  proxyUrl(url: string): string | undefined;
  /** A ProxyAgent when `url` must go through a forward proxy, undefined to connect directly. */
  proxyDispatcher(url: string): Dispatcher | undefined;
  /** The dispatcher to use for `url`: the proxy's, or `direct` (undefined = undici's global one). */
  dispatcherFor(url: string, direct?: Dispatcher): Dispatcher | undefined;
  close(): Promise<void>;
}

export interface OutboundOptions extends ProxyEnv {
  resolver: string | undefined;
  /** Use the gateway's resolver (true in the gateway; false keeps the system one). */
  ownResolver: boolean;
  /** OPENSSL_VERIFY: verify https targets reached through a proxy tunnel. */
  verifyTls?: boolean;
  log?: LogSink;
}

export function createOutbound(options: OutboundOptions): Outbound {
  const log = options.log ?? silentLog;
  const resolver = options.ownResolver ? new DnsResolver({ resolver: options.resolver, log }) : undefined;
  const lookup: LookupFunction = resolver ? resolver.lookup : systemLookup;
  const agents = new Map<string, ProxyAgent>();
  // Asked for every upstream and backend call: without any proxy variable, answer at once.
  const anyProxy = Boolean(options.httpProxy || options.httpsProxy || options.allProxy);
  const proxyUrl = (url: string): string | undefined => {
    if (!anyProxy) return undefined;
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return undefined;
    }
    return proxyFor(target, options);
  };
  const proxyDispatcher = (url: string): Dispatcher | undefined => {
    const proxy = proxyUrl(url);
    if (!proxy) return undefined;
    let agent = agents.get(proxy);
    if (!agent) {
      // proxyTunnel false: plain-http targets use absolute-URI requests, https ones a CONNECT tunnel.
      agent = new ProxyAgent({
        uri: proxy,
        proxyTunnel: false,
        connect: { lookup },
        requestTls: { rejectUnauthorized: options.verifyTls ?? false },
      });
      agents.set(proxy, agent);
    }
    return agent;
  };
  return {
    lookup,
    resolver,
    proxyUrl,
    proxyDispatcher,
    dispatcherFor: (url, direct) => proxyDispatcher(url) ?? direct,
    async close() {
      await Promise.all([...agents.values()].map((a) => a.close()));
      agents.clear();
    },
  };
}

/** The system resolver and no proxy: holds no sockets or timers, so it needs no owner. */
export const directOutbound: Outbound = createOutbound({
  resolver: undefined,
  ownResolver: false,
  httpProxy: undefined,
  httpsProxy: undefined,
  allProxy: undefined,
  noProxy: undefined,
});

/**
 * A dispatcher that asks `outbound` per request: through the forward proxy
 * HTTP(S)_PROXY / NO_PROXY choose, else `direct`. Installed as undici's
 * global dispatcher by the worker start-up, so clients that call undici's
 * `request` without a dispatcher of their own (OIDC JWKS, token
 * introspection, …) follow the same proxy selection as upstreams, the
 * backend and the portal.
 */
export class RoutingDispatcher extends Dispatcher {
  constructor(
    private readonly outbound: Outbound,
    private readonly direct: Dispatcher,
  ) {
    super();
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const origin = options.origin === undefined ? undefined : String(options.origin);
    const chosen = (origin !== undefined ? this.outbound.proxyDispatcher(origin) : undefined) ?? this.direct;
    return chosen.dispatch(options, handler);
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    const closing = this.direct.close();
    if (callback) {
      closing.then(callback, callback);
      return;
    }
    return closing;
  }

  override destroy(err?: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    const err = typeof a === 'function' ? null : (a ?? null);
    const callback = typeof a === 'function' ? a : b;
    const destroying = this.direct.destroy(err);
    if (callback) {
      destroying.then(callback, callback);
      return;
    }
    return destroying;
  }
}
