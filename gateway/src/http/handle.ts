/**
 * One proxy request through the gateway (gateway.md §4.0): service lookup,
 * rewrite → access → content, upstream or exit response through the filters,
 * then post_action and log once the client has the whole response.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Settings } from '../settings.js';
import type { PolicyChain } from '../chain/chain.js';
import type { GlobalChain } from '../chain/global-chain.js';
import type { ChainDisposal } from '../chain/disposal.js';
import { RequestContext } from '../chain/request-context.js';
import { runPhase, PolicyError } from '../chain/runner.js';
import { PhaseRunner } from '../chain/phase-runner.js';
import { policyFailureStatus } from '../chain/on-failed.js';
import { REQUEST_PHASES } from '../chain/policy.js';
import type { ConfigurationView } from '../config/store.js';
import type { CompiledService } from '../config/compiled.js';
import { anyRuleMatches, rulesNeedArgs } from '../mapping/matcher.js';
import type { UpstreamProxy } from '../upstream/proxy.js';
import type { AccessLog } from '../logging/access-log.js';
import { DEFAULT_CREDENTIAL_PARAMS, credentialNameSet, redactQueryNames } from '../logging/redact.js';
import type { GatewayHooks } from '../telemetry/hooks.js';
import type { GatewayTracer, RequestTrace } from '../tracing/tracer.js';
import { joinPaths } from '../upstream/target.js';
import { defaultAccessLogSuppressed, extraAccessLogLines } from '../shared/access-log-control.js';
import { guardBodyTimeout } from './body-timeout.js';
import { IncomingRequest } from './request.js';
import { exitBody, sendResponse } from './respond.js';
import { escapeUri } from './uri.js';
import { requestHost } from './host.js';

/** Fetches configuration for a host before lookup (lazy loader, installed by the portal module). */
export interface HostLoader {
  ensureHost(host: string): Promise<void>;
}

export interface RequestHandlerDeps {
  settings: Settings;
  log: Logger;
  configuration: ConfigurationView;
  defaultChain: () => PolicyChain;
  globalChain: GlobalChain;
  hostLoader: () => HostLoader | undefined;
  proxy: UpstreamProxy;
  accessLog: AccessLog | undefined;
  /** Where finished requests are counted (the metrics of the gateway's runtime). */
  hooks: GatewayHooks;
  /** OPENTELEMETRY on; undefined = no spans at all (the request path takes the plain branch). */
  tracer?: GatewayTracer | undefined;
  /** Tracks in-flight requests per service chain so replaced chains are disposed after them. */
  disposal?: ChainDisposal;
}

/** Host routing, or path routing among the host's services (gateway.md §4.1). */
export function findService(ctx: RequestContext, settings: Settings, configuration: ConfigurationView): CompiledService | undefined {
  const candidates = configuration.findByHost(ctx.host);
  if (candidates.length === 0) return undefined;
  if (!settings.pathRouting && !settings.pathRoutingOnly) return candidates[0];
  const path = escapeUri(ctx.request.path);
  const args = ctx.request.args();
  for (const service of candidates) {
    if (anyRuleMatches(service.rules, ctx.request.method, path, rulesNeedArgs(service.rules) ? args : undefined)) return service;
  }
  return settings.pathRoutingOnly ? undefined : candidates[0];
}

const DEFAULT_NAMES = credentialNameSet(DEFAULT_CREDENTIAL_PARAMS);
const credentialNames = new WeakMap<CompiledService, ReadonlySet<string>>();

/** Query parameters the access log masks for this service, computed once per compiled service. */
function serviceCredentialNames(service: CompiledService): ReadonlySet<string> {
  let names = credentialNames.get(service);
  if (!names) {
    const c = service.credentials;
    names = credentialNameSet([...DEFAULT_CREDENTIAL_PARAMS, c.userKey, c.appId, c.appKey]);
    credentialNames.set(service, names);
  }
  return names;
}

const exportLayers = new WeakMap<PolicyChain, object>();

function exportLayer(chain: PolicyChain, global: GlobalChain): object {
  let layer = exportLayers.get(chain);
  if (!layer) {
    layer = Object.assign(Object.create(global.exports()) as object, chain.exports);
    exportLayers.set(chain, layer);
  }
  return layer;
}

const sequences = new WeakMap<PolicyChain, { before: PolicyChain; after: PolicyChain; runner: PhaseRunner }>();

/**
 * The global chain around a service chain as one runner, built once per
 * service chain (and again only if the global chain changed): the request
 * runs one precomputed handler list per phase.
 */
function requestRunner(service: PolicyChain, global: GlobalChain): PhaseRunner {
  const known = sequences.get(service);
  if (known && known.before === global.before && known.after === global.after) return known.runner;
  const runner = PhaseRunner.sequence([global.before, service, global.after]);
  sequences.set(service, { before: global.before, after: global.after, runner });
  return runner;
}

export function handleRequest(incoming: IncomingMessage, res: ServerResponse, deps: RequestHandlerDeps): Promise<void> {
  const tracer = deps.tracer;
  if (tracer === undefined) return handle(incoming, res, deps, undefined);
  const request = new IncomingRequest(incoming);
  const trace = tracer.startRequest({
    method: request.method,
    path: request.path,
    host: requestHost(request.headers.get('host')),
    headers: incoming.headers,
  });
  return handle(incoming, res, deps, { trace, request });
}

async function handle(
  incoming: IncomingMessage,
  res: ServerResponse,
  deps: RequestHandlerDeps,
  traced: { trace: RequestTrace; request: IncomingRequest } | undefined,
): Promise<void> {
  const request = traced?.request ?? new IncomingRequest(incoming);
  const ctx = new RequestContext(request, deps.settings, deps.configuration, deps.log);
  ctx.trace = traced?.trace;
  res.on('finish', () => {
    ctx.markFinished();
  });
  res.on('close', () => {
    if (!res.writableFinished) ctx.markAborted();
  });
  guardBodyTimeout(incoming, res, () => {
    ctx.log.info('client body timeout: no body bytes for 60 s, answering 408');
  });

  let chain = requestRunner(deps.defaultChain(), deps.globalChain);
  let acquired: PolicyChain | undefined;
  try {
    const loader = deps.hostLoader();
    if (loader) await loader.ensureHost(ctx.host);
    ctx.service = findService(ctx, deps.settings, deps.configuration);
    if (ctx.service && ctx.trace) ctx.trace.setService(ctx.service.id);
    const serviceChain = ctx.service?.chain ?? deps.defaultChain();
    chain = requestRunner(serviceChain, deps.globalChain);
    deps.disposal?.acquire(serviceChain);
    acquired = serviceChain;
    ctx.useExports(exportLayer(serviceChain, deps.globalChain));

    for (const phase of REQUEST_PHASES) {
      const pending = runPhase(chain, phase, ctx);
      if (pending) await pending;
      if (ctx.exited || ctx.aborted) break;
    }
    if (!ctx.contentDecided && !ctx.aborted) ctx.exit(404, { body: '' });
  } catch (error) {
    const policy = error instanceof PolicyError ? error.policy : undefined;
    ctx.log.error(
      { err: error instanceof PolicyError ? error.cause : error, policy },
      error instanceof Error ? error.message : String(error),
    );
    ctx.proxyTarget = undefined;
    // 500 unless on_failed in the chain chose another status (policies.md §5.38).
    ctx.exit(policyFailureStatus(ctx));
  }

  try {
    if (!ctx.aborted) {
      if (ctx.exitDecision) {
        const { status, body, headers } = ctx.exitDecision;
        ctx.response.status = status;
        const page = exitBody(status, body);
        if (page.html) ctx.response.headers.set('Content-Type', 'text/html');
        else if (!headers || !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
          ctx.response.headers.set('Content-Type', 'text/plain');
        for (const [name, value] of Object.entries(headers ?? {})) ctx.response.headers.set(name, value);
        await sendResponse(ctx, res, chain, page.body);
      } else if (ctx.proxyTarget && ctx.trace) {
        const target = ctx.proxyTarget;
        // Path without the query, which may carry credentials.
        const span = ctx.trace.startUpstream(
          request.method,
          `${target.origin}${joinPaths(target.path ?? '', escapeUri(request.path)) || '/'}`,
        );
        try {
          await deps.proxy.forward(ctx, res, chain, target);
        } finally {
          span.end(ctx.upstreamStatus ?? 0);
        }
      } else if (ctx.proxyTarget) {
        await deps.proxy.forward(ctx, res, chain, ctx.proxyTarget);
      }
    }
  } catch (error) {
    ctx.log.error({ err: error }, `response failed: ${(error as Error).message}`);
    // A balancer handler that threw is a policy failure too: on_failed's status when the chain has it.
    if (!res.headersSent) {
      res.statusCode = error instanceof PolicyError ? policyFailureStatus(ctx) : 500;
      res.end();
    } else res.destroy();
  }

  await ctx.finished;
  const totalTime = (performance.now() - ctx.startedAt) / 1000;
  const status = ctx.aborted ? 499 : ctx.response.status;
  if (ctx.aborted) ctx.response.status = 499;
  const postStart = performance.now();
  const posting = chain.runAll('post_action', ctx);
  if (posting) await posting;
  ctx.postActionSeconds = (performance.now() - postStart) / 1000;
  const logging = chain.runAll('log', ctx);
  if (logging) await logging;
  if (acquired) deps.disposal?.release(acquired);

  if (deps.accessLog && !defaultAccessLogSuppressed(ctx)) {
    const names = ctx.service ? serviceCredentialNames(ctx.service) : DEFAULT_NAMES;
    deps.accessLog.write({
      time: new Date(),
      host: ctx.host,
      serverPort: request.serverPort,
      remoteAddress: request.clientAddress,
      remotePort: request.clientPort,
      requestLine: `${request.method} ${redactQueryNames(request.rawTarget, names)} HTTP/${request.httpVersion}`,
      status,
      bytesSent: ctx.response.bytesSent,
      requestTime: totalTime,
      postActionTime: ctx.postActionSeconds,
    });
  }
  // Lines added by the logging policy (raw, no escaping, gateway.md §10).
  if (deps.accessLog) for (const line of extraAccessLogLines(ctx)) deps.accessLog.writeRaw(`${line}\n`);
  deps.hooks.requestFinished({
    status,
    totalTime,
    upstreamStatus: ctx.upstreamStatus,
    upstreamTime: ctx.upstreamResponseTime,
    serviceId: ctx.service?.id,
    serviceSystemName: ctx.service?.systemName,
  });
  ctx.trace?.end(status);
}
