/**
 * standalone (internal, experimental; policies.md §6.7): routes each request
 * by the standalone document's `routes` to an internal service (whose policy
 * chain then runs for every phase), an external upstream, or a fixed HTTP
 * response; unmatched requests get the built-in not_found answer (echo with
 * 404). The document comes from `url` (`file:` or `data:`, YAML or JSON;
 * default APICAST_CONFIGURATION) and is read and validated once per load.
 * Internal: no manifest, so it is not listed in GET /policies.
 *
 * Applied from the document: `global.log_level` (the routed requests' log
 * level), `global.upstream` timeouts, `external[].retries` and
 * `load_balancer` (round_robin only: the gateway's peer selection).
 * `server.listen[]` is exported as LISTENERS_EXPORT: the gateway opens those
 * listeners (src/http/declared-listeners.ts) and tags their requests with the
 * entry's `name`, which `match.server_port` compares with.
 */
import type { Policy, PolicyBuildContext, PolicyContext } from '../../src/chain/policy.js';
import { PolicyConfigurationError } from '../../src/chain/policy.js';
import type { PolicyChain } from '../../src/chain/chain.js';
import { readLocalConfiguration } from '../../src/config/file.js';
import type { Upstream } from '../../src/upstream/upstream.js';
import { chainEntries, LOG_LEVELS, validateDocument, type UpstreamOptionsJson } from './document.js';
import { selectRoute, type RoutingRequest } from './router.js';
import { LISTENERS_EXPORT, type DeclaredListener } from '../../src/http/declared-listeners.js';
import { TLS_VERSIONS, type TlsVersion } from '../../src/net/https-listener.js';

/** `tls.protocols`: nginx-style names, as a list or a space-separated string ("TLSv1.2 TLSv1.3"). */
function tlsProtocols(value: unknown, field: string): TlsVersion[] | undefined {
  if (value === undefined) return undefined;
  const names = typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : value;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => TLS_VERSIONS.includes(n as TlsVersion))) {
    throw new PolicyConfigurationError(field, `must list TLS versions among ${TLS_VERSIONS.join(', ')}`);
  }
  return names as TlsVersion[];
}

/** `server.listen[]` entries as listener declarations; a bad entry names its field. */
function declaredListeners(entries: readonly Record<string, unknown>[]): DeclaredListener[] {
  return entries.map((entry, index) => {
    const field = `url: document.server.listen[${index}]`;
    const port = Number(entry['port']);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new PolicyConfigurationError(`${field}.port`, 'must be a port number (1-65535)');
    const tls = entry['tls'] as Record<string, unknown> | undefined;
    for (const key of ['certificate', 'certificate_key'] as const) {
      if (tls?.[key] !== undefined && typeof tls[key] !== 'string')
        throw new PolicyConfigurationError(`${field}.tls.${key}`, 'must be a file path');
    }
    const protocols = tlsProtocols(tls?.['protocols'], `${field}.tls.protocols`);
    if (tls?.['ciphers'] !== undefined && typeof tls['ciphers'] !== 'string')
      throw new PolicyConfigurationError(`${field}.tls.ciphers`, 'must be an OpenSSL cipher list string');
    return {
      port,
      name: entry['name'] as string | undefined,
      tls:
        tls || entry['protocol'] === 'https'
          ? {
              certificateFile: tls?.['certificate'] as string | undefined,
              keyFile: tls?.['certificate_key'] as string | undefined,
              ...(protocols ? { protocols } : {}),
              ...(tls?.['ciphers'] !== undefined ? { ciphers: tls['ciphers'] } : {}),
            }
          : undefined,
      proxyProtocol: entry['proxy_protocol'] === true,
    };
  });
}

/** An external[] entry ready for proxying: its URL and its retries. */
interface External {
  upstream: Upstream;
  retries: number | undefined;
}
interface ServiceTarget {
  chain: PolicyChain;
  external: External | undefined;
}
type Decision =
  | { kind: 'service'; target: ServiceTarget }
  | { kind: 'upstream'; external: External }
  | { kind: 'response'; status: number; body: string | undefined }
  | { kind: 'not_found' };

const DECISION = 'standalone_route';

async function loadDocument(url: string | undefined, build: PolicyBuildContext): Promise<unknown> {
  if (!url) throw new PolicyConfigurationError('url', 'no document: set url or APICAST_CONFIGURATION');
  if (!/^(file|data):/.test(url)) throw new PolicyConfigurationError('url', `"${url.slice(0, 40)}" must be a file: or data: URL`);
  try {
    return (await readLocalConfiguration({ ...build.settings, configFile: undefined, configurationUri: url })).document;
  } catch (error) {
    throw new PolicyConfigurationError('url', (error as Error).message);
  }
}

function decide(ctx: PolicyContext): Decision | undefined {
  return ctx.shared[DECISION] as Decision | undefined;
}

function nestedChain(ctx: PolicyContext): PolicyChain | undefined {
  const decision = decide(ctx);
  return decision?.kind === 'service' ? decision.target.chain : undefined;
}

export default async function standalone(configuration: Record<string, unknown>, build: PolicyBuildContext): Promise<Policy> {
  // No manifest (internal policy), so the one field is checked here.
  if (configuration['url'] !== undefined && typeof configuration['url'] !== 'string')
    throw new PolicyConfigurationError('url', 'must be a string');
  const url = configuration['url'] ?? build.settings.configurationUri;
  const { document, internal, external } = validateDocument(await loadDocument(url, build));

  const listeners = declaredListeners(document.server?.listen ?? []);
  const externals = new Map<string, External>();
  for (const [name, { json, upstream }] of external) externals.set(name, { upstream, retries: json.retries });
  // validateDocument checked that every name a service or a route refers to is declared.
  const declared = <T>(map: Map<string, T>, name: string, what: string): T => {
    const value = map.get(name);
    if (value === undefined) throw new Error(`standalone: ${what} ${name} is not declared`);
    return value;
  };
  const services = new Map<string, ServiceTarget>();
  for (const [index, [name, json]] of [...internal.entries()].entries()) {
    const chain = await build.buildChain(chainEntries(json), `url: document.internal[${index}].policy_chain`);
    services.set(name, { chain, external: json.upstream ? declared(externals, json.upstream, 'upstream') : undefined });
  }
  const logLevel = document.global?.log_level === undefined ? undefined : LOG_LEVELS[document.global.log_level];
  const upstreamOptions: UpstreamOptionsJson | undefined = document.global?.upstream;

  /** Applies `global` and the external's `retries` to a request that will be proxied (request-local writes). */
  const prepareProxying = (ctx: PolicyContext, target: External | undefined): void => {
    if (target?.retries !== undefined) ctx.shared['upstream_retries'] = target.retries;
    // An upstream_connection policy's export (read through ctx.shared) wins over the document default.
    if (upstreamOptions && ctx.shared['upstream_connection_opts'] === undefined) ctx.shared['upstream_connection_opts'] = upstreamOptions;
  };

  return {
    export: () => ({ [LISTENERS_EXPORT]: listeners }),
    async dispose(): Promise<void> {
      for (const { chain } of services.values())
        await chain.dispose((name, err) => {
          build.log.warn({ err, policy: name }, 'internal policy dispose failed');
        });
    },
    async rewrite(ctx: PolicyContext): Promise<void> {
      // global.log_level: this request's logger (every policy logs through it) uses the document's level.
      if (logLevel) ctx.log.level = logLevel;
      const request: RoutingRequest = {
        path: ctx.request.path,
        method: ctx.request.method,
        host: ctx.host,
        serverPort: ctx.request.serverPort,
        listenerName: ctx.request.listenerName,
      };
      const selected = selectRoute(document.routes, request);
      let decision: Decision = { kind: 'not_found' };
      if (selected?.destination.service !== undefined)
        decision = { kind: 'service', target: declared(services, selected.destination.service, 'service') };
      else if (selected?.destination.upstream !== undefined)
        decision = { kind: 'upstream', external: declared(externals, selected.destination.upstream, 'upstream') };
      else if (selected?.destination.http_response !== undefined) {
        const response = selected.destination.http_response;
        decision =
          typeof response === 'number'
            ? { kind: 'response', status: response, body: undefined }
            : { kind: 'response', status: response.status ?? 200, body: response.body };
      }
      ctx.shared[DECISION] = decision;
      if (decision.kind === 'not_found') {
        // The built-in not_found service: echo with 404 (request line + newline).
        ctx.exit(404, {
          body: `${ctx.request.method} ${ctx.request.rawTarget} HTTP/${ctx.request.httpVersion}\n`,
          headers: { 'Content-Type': 'text/plain' },
        });
        return;
      }
      if (decision.kind === 'response') {
        ctx.exit(decision.status, decision.body === undefined ? {} : { body: decision.body });
        return;
      }
      if (decision.kind === 'service') {
        if (decision.target.external) ctx.routeUpstream = decision.target.external.upstream;
        await decision.target.chain.run('rewrite', ctx);
      }
    },
    async access(ctx: PolicyContext): Promise<void> {
      const chain = nestedChain(ctx);
      if (chain) await chain.run('access', ctx);
    },
    async content(ctx: PolicyContext): Promise<void> {
      const decision = decide(ctx);
      if (decision?.kind === 'service') {
        await decision.target.chain.run('content', ctx);
        // The internal chain may proxy itself (e.g. an upstream policy): global options still apply.
        prepareProxying(ctx, decision.target.external);
        if (!ctx.contentDecided && !ctx.exited && decision.target.external) ctx.proxyPass(decision.target.external.upstream);
      } else if (decision?.kind === 'upstream' && !ctx.contentDecided) {
        prepareProxying(ctx, decision.external);
        ctx.proxyPass(decision.external.upstream);
      }
    },
    async balancer(ctx: PolicyContext): Promise<void> {
      const chain = nestedChain(ctx);
      if (chain) await chain.run('balancer', ctx);
    },
    async header_filter(ctx: PolicyContext): Promise<void> {
      const chain = nestedChain(ctx);
      if (chain) await chain.runAll('header_filter', ctx);
    },
    body_filter(ctx: PolicyContext, chunk: Buffer, eof: boolean): Buffer | undefined {
      const chain = nestedChain(ctx);
      if (!chain) return;
      const filtered = chain.filterBody(ctx, chunk, eof);
      return filtered === chunk ? undefined : filtered;
    },
    async post_action(ctx: PolicyContext): Promise<void> {
      const chain = nestedChain(ctx);
      if (chain) await chain.runAll('post_action', ctx);
    },
    async log(ctx: PolicyContext): Promise<void> {
      const chain = nestedChain(ctx);
      if (chain) await chain.runAll('log', ctx);
    },
  };
}
