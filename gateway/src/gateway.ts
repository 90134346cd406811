/**
 * Starts one gateway worker: policies, configuration, listeners. The CLI (and
 * later the worker supervisor) calls startGateway; tests use the CLI as a
 * child process.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Settings } from './settings.js';
import { PolicyRegistry } from './chain/registry.js';
import { GlobalChain } from './chain/global-chain.js';
import { buildChain, DEFAULT_CHAIN } from './chain/build.js';
import type { PolicyChain } from './chain/chain.js';
import { ChainDisposal } from './chain/disposal.js';
import { requireProxyProtocol } from './net/proxy-protocol.js';
import type { Policy } from './chain/policy.js';
import { InMemoryConfigurationStore } from './config/store.js';
import { ConfigurationManager, type ApplyResult } from './config/manager.js';
import { createServiceFilter } from './config/filter.js';
import { ConfigurationError } from './config/errors.js';
import { hasLocalSource, readLocalConfiguration } from './config/file.js';
import { createProxyServer } from './http/server.js';
import { createProxyTlsListener, createRequestHandler, type RequestHandler } from './http/listeners.js';
import { collectDeclaredListeners, DeclaredListenerSet, type DeclaredListener } from './http/declared-listeners.js';
import { closeAllConnections, closeIdleConnections, TLS_VERSIONS, type TlsVersion } from './net/https-listener.js';
import type { HostLoader } from './http/handle.js';
import { UpstreamProxy } from './upstream/proxy.js';
import { createAccessLog } from './logging/access-log.js';
import { createEchoServer } from './echo/server.js';
import { ManagementRouter } from './management/router.js';
import { createManagementServer } from './management/server.js';
import { ROUTE_REGISTRARS } from './management/routes.js';
import { GatewayRuntime, type ProcessServices } from './runtime/gateway-runtime.js';
import { startTracing } from './tracing/tracer.js';

export interface GatewayHandle {
  readonly settings: Settings;
  readonly log: Logger;
  readonly store: InMemoryConfigurationStore;
  readonly manager: ConfigurationManager;
  readonly registry: PolicyRegistry;
  readonly globalChain: GlobalChain;
  readonly router: ManagementRouter;
  /** What the gateway owns beyond its listeners (backend client, Redis, sessions); closed by stop(). */
  readonly runtime: GatewayRuntime;
  /** Bound ports (useful when 0 was asked). */
  readonly ports: { http: number; management: number; echo: number };
  /** The proxy's request handler, for the other listeners that serve it (the HTTPS port). */
  readonly requestHandler: RequestHandler;
  /** The listeners (operations: connection stats, drain on SIGQUIT). */
  readonly servers: { proxy: Server; management: Server; echo: Server };
  /** Lazy mode: the portal module installs its per-host loader here. */
  setHostLoader(loader: HostLoader | undefined): void;
  /** Registers a policy around every service chain (before first request). */
  registerGlobalPolicy(name: string, policy: Policy, position: 'before' | 'after'): void;
  /** Re-reads the local configuration source (SIGHUP, POST /boot). */
  reload(): Promise<ApplyResult>;
  stop(): Promise<void>;
}

export class BootError extends Error {}

function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startGateway(settings: Settings, log: Logger, services: Partial<ProcessServices> = {}): Promise<GatewayHandle> {
  for (const name of settings.ignoredVariables) log.warn(`${name} is set but ignored: it only applies to the Lua/OpenResty gateway`);
  for (const notice of settings.notices) log.warn(notice);

  const registry = await PolicyRegistry.load({ log, loadPath: settings.policyLoadPath });
  // The SDK is imported here only when OPENTELEMETRY is on (tracing/tracer.ts).
  const tracer =
    services.tracer ??
    (settings.opentelemetry ? await startTracing(settings.opentelemetry, log.child({ component: 'tracing' })) : undefined);
  const runtime = new GatewayRuntime({ ...services, tracer });
  // Registered first so it closes last: the reports sent while the backend drains still get their spans exported.
  if (tracer && !services.tracer) runtime.onClose('tracing', () => tracer.shutdown());
  const store = new InMemoryConfigurationStore({ pathRouting: settings.pathRouting || settings.pathRoutingOnly });
  const filter = createServiceFilter(settings.servicesList, settings.servicesFilterByUrl);
  const manager = new ConfigurationManager(store, { settings, registry, log, hooks: runtime.hooks, filter, runtime });
  const globalChain = new GlobalChain();
  const defaultChain: PolicyChain = await buildChain(DEFAULT_CHAIN, {
    registry,
    settings,
    log,
    hooks: runtime.hooks,
    runtime,
    service: undefined,
    serviceId: undefined,
    field: 'default policy chain',
  });
  let hostLoader: HostLoader | undefined;
  const disposal = new ChainDisposal(
    (chain) =>
      void chain.dispose((policy, err) => {
        log.warn({ err, policy }, `policy ${policy}: dispose failed`);
      }),
  );
  store.onChange(() => {
    disposal.update(store.all().map((service) => service.chain));
  });

  const reload = async (): Promise<ApplyResult> => {
    try {
      const source = await readLocalConfiguration(settings);
      return await manager.apply(source.document, source.origin);
    } catch (error) {
      if (error instanceof ConfigurationError) return { ok: false, error };
      throw error;
    }
  };

  if (hasLocalSource(settings)) {
    const result = await reload();
    if (!result.ok) throw new BootError(`failed to load configuration, exiting: ${result.error.message}`);
  } else if (!settings.portalEndpoint) {
    throw new BootError('no configuration source: set THREESCALE_CONFIG_FILE, APICAST_CONFIGURATION or THREESCALE_PORTAL_ENDPOINT');
  }

  const proxy = new UpstreamProxy(settings, log, runtime);
  const accessLog = createAccessLog(settings.accessLogFile, settings.profile === 'production' ? settings.accessLogBuffer : undefined);
  const handlerDeps = {
    settings,
    log,
    configuration: store,
    defaultChain: () => defaultChain,
    globalChain,
    hostLoader: () => hostLoader,
    proxy,
    accessLog,
    disposal,
    hooks: runtime.hooks,
    tracer: runtime.tracer,
  };
  const requestHandler = createRequestHandler(handlerDeps);
  const proxyServer = createProxyServer(handlerDeps, undefined, requestHandler);
  if (settings.httpProxyProtocol)
    requireProxyProtocol(proxyServer, (reason) => {
      log.warn(`closing a connection without a valid PROXY protocol header: ${reason}`);
    });
  // Listeners declared by policies (standalone server.listen[]): same handler, tagged with the listener name.
  const openDeclared = (listener: DeclaredListener): Server => {
    const server = listener.tls
      ? (createProxyTlsListener(settings, createRequestHandler(handlerDeps, listener.name), {
          certificateFile: listener.tls.certificateFile,
          keyFile: listener.tls.keyFile,
          versions: versionRange(listener.tls.protocols),
          ciphers: listener.tls.ciphers,
        }) as unknown as Server)
      : createProxyServer(handlerDeps, listener.name);
    if (listener.proxyProtocol)
      requireProxyProtocol(server, (reason) => {
        log.warn(`closing a connection without a valid PROXY protocol header: ${reason}`);
      });
    return server;
  };
  const declaredListeners = new DeclaredListenerSet(
    openDeclared,
    new Set([settings.httpPort, settings.httpsPort].filter((p): p is number => p !== undefined)),
    log,
  );
  const updateDeclaredListeners = (): Promise<void> =>
    declaredListeners.update(
      collectDeclaredListeners([globalChain.before, globalChain.after, ...store.all().map((service) => service.chain)]),
    );
  store.onChange(() => void updateDeclaredListeners());
  const router = new ManagementRouter(settings.managementApi);
  const managementDeps = {
    settings,
    log,
    configuration: store,
    manager,
    registry,
    outbound: runtime.outbound,
    reload: async () => {
      const r = await reload();
      return r.ok ? r.configuration.raw : null;
    },
  };
  for (const register of ROUTE_REGISTRARS) register(router, managementDeps);
  const managementServer = createManagementServer(router, log);
  const echoServer = createEchoServer();

  const servers: Server[] = [];
  const bind = async (server: Server, port: number, name: string): Promise<number> => {
    try {
      const bound = await listen(server, port);
      servers.push(server);
      return bound;
    } catch (error) {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      throw new BootError(`cannot listen on ${name} port ${port}: ${(error as Error).message}`);
    }
  };
  const ports = {
    echo: await bind(echoServer, settings.echoPort, 'echo (APICAST_ECHO_PORT)'),
    management: await bind(managementServer, settings.managementPort, 'management (APICAST_MANAGEMENT_PORT)'),
    http: await bind(proxyServer, settings.httpPort, 'proxy (APICAST_HTTP_PORT)'),
  };
  log.info(`gateway listening: proxy ${ports.http}, management ${ports.management}, echo ${ports.echo}`);
  await updateDeclaredListeners();

  return {
    settings,
    log,
    store,
    manager,
    registry,
    globalChain,
    router,
    runtime,
    ports,
    requestHandler,
    servers: { proxy: proxyServer, management: managementServer, echo: echoServer },
    setHostLoader(loader) {
      hostLoader = loader;
    },
    registerGlobalPolicy(name, policy, position) {
      globalChain.register(name, policy, position);
    },
    reload,
    async stop() {
      for (const server of servers) closeIdleConnections(server);
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => {
                resolve();
              });
              setTimeout(() => {
                closeAllConnections(server);
                resolve();
              }, 2000).unref();
            }),
        ),
      );
      await declaredListeners.close();
      accessLog.flush();
      await proxy.close();
      const closed = await runtime.close();
      for (const failure of closed.failures) log.warn(`closing ${failure.key} failed: ${failure.error}`);
    },
  };
}

/** The lowest and highest of a listener's `tls.protocols` (Node takes a range, nginx a list). */
function versionRange(protocols: readonly TlsVersion[] | undefined): { min: TlsVersion; max: TlsVersion } | undefined {
  if (!protocols || protocols.length === 0) return undefined;
  const sorted = [...protocols].sort((a, b) => TLS_VERSIONS.indexOf(a) - TLS_VERSIONS.indexOf(b));
  return { min: sorted[0], max: sorted[sorted.length - 1] };
}
