/**
 * One traffic-serving process, with everything the operations side adds
 * around the gateway core (startGateway): outbound DNS/proxies, metrics,
 * configuration from the portal (boot with refresh timer, or lazy per
 * host), the cloud-hosted balancer blacklist, the HTTPS listener, the
 * management hooks (POST /boot, pushes shared with the other workers), and
 * the WorkerApp the process model drives on HUP/QUIT/TERM.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { arch, platform } from 'node:os';
import type { Logger } from 'pino';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { BootError, startGateway, type GatewayHandle } from '../gateway.js';
import { hasLocalSource } from '../config/file.js';
import type { Settings } from '../settings.js';
import { balancerBlacklistPolicy } from '../cloud-hosted/balancer-blacklist-policy.js';
import { IpBlacklist } from '../cloud-hosted/ip-blacklist.js';
import { installMetrics } from '../metrics/install.js';
import { operationsHooks, setOperationsHooks, type BootResult } from '../management/operations-hooks.js';
import { pushConfiguration } from '../management/operations-routes.js';
import { closeAllConnections, closeHttp2Sessions, closeIdleConnections } from '../net/https-listener.js';
import { createProxyTlsListener } from '../http/listeners.js';
import { requireProxyProtocol } from '../net/proxy-protocol.js';
import { createOutbound, RoutingDispatcher } from '../net/outbound.js';
import { sniCallback } from '../net/sni-certificates.js';
import type { ConfigurationSink } from '../portal/configuration-sink.js';
import { parsePortalEndpoint } from '../portal/endpoint.js';
import { LazyLoader } from '../portal/lazy-loader.js';
import { OidcDiscovery } from '../portal/oidc-discovery.js';
import { logSink, type LogSink } from '../portal/log-sink.js';
import { loadFromPortal, type PortalLoaderOptions } from '../portal/portal-loader.js';
import type { ConfigurationJson } from '../config/types.js';
import { startRefresh, type RefreshHandle } from '../portal/refresh-scheduler.js';
import { broadcastToOtherWorkers } from './broadcast.js';
import { shareDnsCache } from './dns-sharing.js';
import type { WorkerApp } from './worker-app.js';

/** Boot refused on purpose: the CLI exits with `code` after logging `message`. */
export class BootExit extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

export { logSink };

/** The portal endpoint: THREESCALE_PORTAL_ENDPOINT, or APICAST_CONFIGURATION when it is an http(s) URL. */
export function portalEndpointOf(settings: Settings): URL | undefined {
  if (hasLocalSource(settings)) return undefined;
  if (settings.portalEndpoint) return settings.portalEndpoint;
  const uri = settings.configurationUri;
  if (uri && /^https?:/i.test(uri)) {
    try {
      return new URL(uri);
    } catch {
      throw new BootError('APICAST_CONFIGURATION: not a URL');
    }
  }
  return undefined;
}

function portalOptions(
  settings: Settings,
  endpoint: URL,
  log: LogSink,
  dispatcherFor: PortalLoaderOptions['http']['dispatcherFor'],
): PortalLoaderOptions {
  return {
    endpoint: parsePortalEndpoint(endpoint),
    environment: settings.deploymentEnv,
    servicesList: settings.servicesList,
    serviceVersions: settings.serviceConfigurationVersions,
    filterByUrl: settings.servicesFilterByUrl !== undefined,
    loadServicesWhenNeeded: settings.loadServicesWhenNeeded,
    loader: settings.loader,
    http: {
      userAgent: `APIcast/${settings.userAgentVersion} (${platform()}; ${arch()}; env:${settings.deploymentEnv}) APIcast/builtin`,
      dispatcherFor,
      timeoutMs: 10_000,
    },
    log,
    legacyTimeoutSeconds: settings.configurationTimeout,
    oidc: new OidcDiscovery({
      http: { userAgent: 'APIcast', dispatcherFor, timeoutMs: 10_000 },
      cacheSeconds: settings.configurationCache,
      log,
      logLevel: settings.oidcLogLevel,
    }),
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting on `servers`, closes keep-alive connections as they go idle, resolves when all are closed. */
async function drainServers(servers: Server[]): Promise<void> {
  const closed = servers.map(
    (server) =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  );
  // The HTTPS listener is an HTTP/2 server: no idle-connection API, sessions get GOAWAY instead.
  const sweep = setInterval(() => {
    for (const server of servers) closeIdleConnections(server);
  }, 50);
  for (const server of servers) {
    closeIdleConnections(server);
    closeHttp2Sessions(server);
  }
  await Promise.all(closed);
  clearInterval(sweep);
}

export async function startWorker(settings: Settings, log: Logger): Promise<WorkerApp> {
  const sink = logSink(log);
  const outbound = createOutbound({
    resolver: settings.resolver,
    ownResolver: true,
    verifyTls: settings.opensslVerify,
    log: sink,
    httpProxy: settings.httpProxy,
    httpsProxy: settings.httpsProxy,
    allProxy: settings.allProxy,
    noProxy: settings.noProxy,
  });
  if (outbound.resolver) shareDnsCache(outbound.resolver);
  // Every undici call without its own dispatcher (OIDC JWKS, token introspection, …) follows HTTP(S)_PROXY / NO_PROXY too.
  if (settings.httpProxy || settings.httpsProxy || settings.allProxy)
    setGlobalDispatcher(new RoutingDispatcher(outbound, getGlobalDispatcher()));
  const installed = await installMetrics({
    extendedMetrics: settings.extendedMetrics,
    errorLogLevel: settings.nginxMetricsLogLevel,
    metricsPort: settings.metricsPort,
    maxLogsPerScrape: settings.nginxMetricsMaxLogs,
  });

  const endpoint = portalEndpointOf(settings);
  // Portal downloads: the gateway's resolver, OPENSSL_VERIFY, and the proxy env vars (gateway.md §1.7, §1.8).
  const portalAgent = new Agent({ connect: { lookup: outbound.lookup, rejectUnauthorized: settings.opensslVerify } });
  const portal = endpoint ? portalOptions(settings, endpoint, sink, (url) => outbound.dispatcherFor(url, portalAgent)) : undefined;
  let bootConfiguration: ConfigurationJson = { services: [] };
  if (portal && settings.loader === 'boot') {
    if (settings.configurationCache === 0) throw new BootExit('cache is off, cannot store configuration, exiting', 0);
    const loaded = await loadFromPortal(portal);
    if (!loaded.ok) throw new BootExit(`failed to load configuration, exiting: ${loaded.error}`, 1);
    bootConfiguration = loaded.configuration;
  }

  // startGateway wants a source; a portal given as APICAST_CONFIGURATION counts as the endpoint.
  // APICAST_HTTPS_PORT equal to the HTTP port makes that port HTTPS-only (gateway.md §0): the
  // plain listener then starts on a throw-away port and is closed below.
  const httpsOnly = settings.httpsPort !== undefined && settings.httpsPort === settings.httpPort;
  const gatewaySettings: Settings = {
    ...settings,
    ...(endpoint ? { portalEndpoint: endpoint } : {}),
    ...(httpsOnly ? { httpPort: 0 } : {}),
  };
  const gateway: GatewayHandle = await startGateway(gatewaySettings, log, {
    outbound,
    hooks: installed.metrics.hooks,
    metrics: installed.metrics,
  });
  const configurationSink: ConfigurationSink = {
    async apply(configuration, origin, forHost) {
      // Lazy per-host answers replace what that host had (gateway.md §5.2), even with no service for it.
      const result = await gateway.manager.apply(configuration, origin, undefined, { replaceHost: forHost });
      return result.ok ? { ok: true, services: result.services } : { ok: false, error: result.error.message };
    },
  };

  let refresh: RefreshHandle | undefined;
  let lazy: LazyLoader | undefined;
  if (portal && settings.loader === 'boot') {
    const applied = await configurationSink.apply(bootConfiguration, 'portal');
    if (!applied.ok) {
      await gateway.stop();
      throw new BootExit(`failed to load configuration, exiting: ${applied.error}`, 1);
    }
    refresh = startRefresh({
      intervalSeconds: settings.configurationCache,
      load: () => loadFromPortal(portal),
      sink: configurationSink,
      log: sink,
    });
  } else if (portal) {
    lazy = new LazyLoader({
      fetchForHost: (host) => loadFromPortal(portal, host),
      sink: configurationSink,
      cacheSeconds: settings.configurationCache,
      log: sink,
      maxHosts: settings.serviceCacheSize,
    });
    const loader = lazy;
    gateway.setHostLoader({ ensureHost: (host) => loader.ensure(host) });
    // Lazy: configured from the start (readiness "no services" until a host is asked for).
    gateway.store.store({ services: [], raw: null, timestamp: undefined });
  }

  if (settings.cloudHosted) {
    // createOutbound above has ownResolver: true, so it made one.
    const resolver = outbound.resolver;
    if (!resolver) throw new Error('cloud hosted: the worker has no DNS resolver of its own');
    let blacklist: IpBlacklist;
    try {
      blacklist = new IpBlacklist(settings.balancerWhitelist);
    } catch (error) {
      await gateway.stop();
      throw new BootExit((error as Error).message, 1);
    }
    gateway.registerGlobalPolicy(
      'cloud_hosted.balancer_blacklist',
      balancerBlacklistPolicy({
        blacklist,
        pick: (host) => resolver.pick(host),
        counter: installed.metrics.cloudHostedBalancer,
      }),
      'before',
    );
  }

  const trafficServers: Server[] = [];
  if (httpsOnly) gateway.servers.proxy.close();
  else {
    trafficServers.push(gateway.servers.proxy);
    installed.connections.attach(gateway.servers.proxy);
  }
  if (settings.httpsPort !== undefined) {
    let https;
    try {
      https = createProxyTlsListener(settings, gateway.requestHandler, {
        certificateFile: settings.httpsCertificate,
        keyFile: settings.httpsCertificateKey,
        SNICallback: sniCallback({
          findByHost: (host) => gateway.store.findByHost(host),
          ensureHost: lazy ? (host) => lazy.ensure(host) : undefined,
          log: sink,
        }),
      });
    } catch (error) {
      await gateway.stop();
      throw new BootExit(`HTTPS listener: ${(error as Error).message}`, 1);
    }
    // The HTTP/2 server shares the net.Server surface these need (listen, close, connection events).
    const asServer = https as unknown as Server;
    if (settings.httpsProxyProtocol)
      requireProxyProtocol(asServer, (reason) => {
        log.warn(`closing a TLS connection without a valid PROXY protocol header: ${reason}`);
      });
    installed.connections.attach(asServer);
    const port = await listen(asServer, settings.httpsPort);
    trafficServers.push(asServer);
    log.info(`HTTPS proxy listening on ${port}`);
  }

  const fullLoad = async (): Promise<BootResult> => {
    if (portal) {
      const loaded = await loadFromPortal(portal);
      if (!loaded.ok) return { ok: false, error: loaded.error };
      const applied = await gateway.manager.apply(loaded.configuration, `portal (${loaded.via})`);
      return applied.ok ? { ok: true, config: loaded.configuration } : { ok: false, error: applied.error.message };
    }
    const result = await gateway.reload();
    return result.ok ? { ok: true, config: result.configuration.raw } : { ok: false, error: result.error.message };
  };

  setOperationsHooks({
    bootLoad: fullLoad,
    afterReset: () => lazy?.reset(),
    broadcast: (topic, payload) => {
      broadcastToOtherWorkers(topic, payload);
    },
  });

  const reload = async (): Promise<void> => {
    if (lazy) {
      lazy.reset();
      return;
    } // every host is fetched again on its next request
    const result = refresh ? await refresh.refreshNow() : await fullLoad();
    if (result.ok) log.info('configuration reloaded');
    else log.error(`reload failed, the previous configuration keeps serving: ${result.error}`);
  };

  return {
    reload,
    async drain() {
      refresh?.stop();
      await drainServers(trafficServers);
      await gateway.stop();
      installed.server?.close();
      await outbound.close();
      await portalAgent.close();
    },
    async close() {
      refresh?.stop();
      for (const server of trafficServers) {
        closeAllConnections(server);
        closeHttp2Sessions(server, true);
      }
      installed.server?.close();
      // Fast shutdown: pools wait for hanging upstream requests, the process does not.
      await Promise.race([gateway.stop(), new Promise((resolve) => setTimeout(resolve, 500).unref())]);
    },
    async onBroadcast(topic, payload) {
      if (topic === 'config:push') {
        await pushConfiguration(
          { manager: gateway.manager, configuration: gateway.store },
          String(payload),
          'management API (another worker)',
        );
      } else if (topic === 'config:delete') {
        gateway.store.reset();
        operationsHooks().afterReset?.();
      } else if (topic === 'boot') {
        await fullLoad();
      }
    },
  };
}
