/**
 * A fake 3scale admin portal for tests, speaking the protocol of gateway.md §2
 * (services index, per-service proxy configs latest/pinned, configs by host,
 * the legacy spec.json) and the master endpoints the mapping-service uses
 * (§9.2: SSO tokens, accounts), and the paginated account endpoint
 * `/admin/api/account/proxy_configs/<env>.json?host=&version=&page=&per_page=`
 * the way 3scale's admin API pages it (ordered by proxy-config id, `per_page`
 * 1..500 else 500, `page` ≥ 1 else 1). Credentials are checked as the real
 * portal does: Basic auth from the endpoint's userinfo (`TOKEN:`), or an
 * `access_token` / `token` query parameter. It records every request, and it
 * can be made slow, wrong (5xx, garbage JSON, invalid configuration), fail one
 * chosen page of the account endpoint, not know that endpoint (older
 * portals: 404), or be down.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** The request's query parameters; a parameter it did not send is undefined. */
type QueryParameters = Partial<Record<string, string>>;

export interface RecordedRequest {
  method: string;
  path: string;
  /** A parameter the request did not send is undefined. */
  query: QueryParameters;
  headers: IncomingMessage['headers'];
  body: string;
}

/** ok: normal answers; error: 503 everywhere; garbage: 200 with a body that is not JSON. */
export type PortalMode = 'ok' | 'error' | 'garbage';

export interface FakePortalOptions {
  accessToken?: string;
  /** Provider accounts for the master API: provider id → admin domain. */
  accounts?: Record<string, string>;
  ssoTokenLifetimeSeconds?: number;
  /** Serve HTTPS with this certificate (OPENSSL_VERIFY tests). */
  tls?: { cert: string; key: string };
}

type Service = Record<string, unknown> & { id: number | string };

/** How one page of the account endpoint fails: 500, never answered, not JSON, or carrying an invalid service. */
export type PageFailure = 'error' | 'timeout' | 'garbage' | 'invalid';

/** The admin API's page size bounds (porta: default and maximum 500). */
export const PORTAL_MAX_PER_PAGE = 500;

export class FakePortal {
  readonly requests: RecordedRequest[] = [];
  mode: PortalMode = 'ok';
  /** Added before every answer. */
  delayMs = 0;
  /** Sent as Cache-Control on 200 answers when set (mapping-service caching tests). */
  cacheControl: string | undefined;
  /** Paths starting with one of these answer 500 (to exercise one protocol's fallback). */
  failingPaths: string[] = [];
  /** false: the portal predates `/admin/api/account/proxy_configs` and answers it 404. */
  accountProxyConfigs = true;
  /** Makes one page of the account endpoint fail (any host, any env) until cleared. */
  failPage: { page: number; how: PageFailure } | undefined;
  readonly accessToken: string;
  private readonly services = new Map<string, { env: string; version: number; configId: number; content: Service }[]>();
  private nextConfigId = 1;
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | undefined;
  private ssoCounter = 0;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(private readonly options: FakePortalOptions = {}) {
    this.accessToken = options.accessToken ?? 'portal-token-123';
  }

  get port(): number {
    if (!this.server) throw new Error('fake portal: not started');
    return (this.server.address() as AddressInfo).port;
  }
  /** `http://TOKEN@127.0.0.1:PORT` — what THREESCALE_PORTAL_ENDPOINT looks like. */
  endpoint(path = ''): string {
    return `${this.options.tls ? 'https' : 'http'}://${this.accessToken}@127.0.0.1:${this.port}${path}`;
  }

  /** Publishes a new version of a service's proxy config on a channel (version numbers count up per service and env). */
  publish(content: Service, env = 'production'): number {
    const id = String(content.id);
    const versions = this.services.get(id) ?? [];
    const version = versions.filter((v) => v.env === env).length + 1;
    versions.push({ env, version, configId: this.nextConfigId++, content: structuredClone(content) });
    this.services.set(id, versions);
    return version;
  }

  remove(id: string | number): void {
    this.services.delete(String(id));
  }

  /** The requests to the account endpoint (`/admin/api/account/proxy_configs/…`). */
  accountRequests(): RecordedRequest[] {
    return this.requestsTo('/admin/api/account/proxy_configs/');
  }

  requestsTo(pathPrefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(pathPrefix));
  }

  async start(port = 0): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      void this.handle(req, res);
    };
    const server = this.options.tls ? createHttpsServer(this.options.tls, handler) : createServer(handler);
    this.server = server;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return this;
  }

  /** Closes the listener and every open connection ("down"). */
  async stop(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  }

  private latest(id: string, env: string, version?: number): Service | undefined {
    const versions = (this.services.get(id) ?? []).filter((v) => v.env === env);
    const chosen = version === undefined ? versions.at(-1) : versions.find((v) => v.version === version);
    return chosen?.content;
  }

  private proxyConfig(id: string, env: string, version?: number): Record<string, unknown> | undefined {
    const content = this.latest(id, env, version);
    if (!content) return undefined;
    const versions = (this.services.get(id) ?? []).filter((v) => v.env === env);
    return { proxy_config: { id: Number(id) || id, version: version ?? versions.length, environment: env, content } };
  }

  private byHost(env: string, host: string): Record<string, unknown> {
    const configs = [...this.services.keys()]
      .map((id) => this.proxyConfig(id, env))
      .filter((pc): pc is Record<string, unknown> => {
        if (!pc) return false;
        const content = (pc.proxy_config as { content: { proxy?: { hosts?: string[] } } }).content;
        return host === '' || (content.proxy?.hosts ?? []).includes(host);
      });
    return { proxy_configs: configs };
  }

  /**
   * The account endpoint: every service's proxy configs on `env`, filtered by
   * host (one of `proxy.hosts`) and version (`latest` = each service's newest,
   * a number = that version, absent = all), ordered by proxy-config id, paged.
   */
  private accountPage(env: string, query: QueryParameters): { configs: Record<string, unknown>[]; page: number } {
    const rows: { id: string; version: number; configId: number; content: Service }[] = [];
    for (const [id, all] of this.services) {
      const onEnv = all.filter((v) => v.env === env);
      const chosen =
        query.version === undefined
          ? onEnv
          : query.version === 'latest'
            ? onEnv.slice(-1)
            : onEnv.filter((v) => String(v.version) === query.version);
      for (const v of chosen) rows.push({ id, ...v });
    }
    const host = query.host;
    const matching = rows
      .filter((r) => !host || ((r.content.proxy as { hosts?: string[] } | undefined)?.hosts ?? []).includes(host))
      .sort((a, b) => a.configId - b.configId);
    const asInt = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text) ? Number(text) : NaN);
    let perPage = asInt(query.per_page);
    if (!(perPage >= 1 && perPage <= PORTAL_MAX_PER_PAGE)) perPage = PORTAL_MAX_PER_PAGE;
    let page = asInt(query.page);
    if (!(page >= 1)) page = 1;
    const configs = matching.slice((page - 1) * perPage, page * perPage).map((r) => ({
      proxy_config: { id: r.configId, version: r.version, environment: env, content: r.content },
    }));
    return { configs, page };
  }

  private authorized(req: IncomingMessage, query: QueryParameters): boolean {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Basic ')) {
      const [user, password] = Buffer.from(header.slice(6), 'base64').toString().split(':');
      if (user === this.accessToken || password === this.accessToken) return true;
    }
    return query.access_token === this.accessToken;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://portal');
    const query: QueryParameters = Object.fromEntries(url.searchParams);
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    });
    if (this.delayMs > 0) await sleep(this.delayMs);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const caching: Record<string, string> = status === 200 && this.cacheControl ? { 'cache-control': this.cacheControl } : {};
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...caching, ...headers });
      res.end(JSON.stringify(body));
    };
    if (this.failingPaths.some((p) => url.pathname.startsWith(p))) {
      json(500, { error: 'failing on purpose' });
      return;
    }
    if (this.mode === 'error') {
      json(503, { error: 'portal is having a bad day' });
      return;
    }
    if (this.mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"services": [ this is not json');
      return;
    }

    const path = url.pathname;
    let match: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/admin/api/sso_tokens/provider_create.json') {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      if (form.get('access_token') !== this.accessToken) {
        json(403, { error: 'forbidden' });
        return;
      }
      const expires = new Date(Date.now() + (this.options.ssoTokenLifetimeSeconds ?? 60) * 1000).toUTCString();
      json(201, { sso_token: { token: `sso-${form.get('provider_id')}-${++this.ssoCounter}` } }, { expires });
      return;
    }
    if ((match = /^\/admin\/api\/accounts\/(\w+)\.json$/.exec(path))) {
      if (!this.authorized(req, query)) {
        json(403, { error: 'forbidden' });
        return;
      }
      const domain = this.options.accounts?.[match[1]];
      if (domain) json(200, { account: { id: Number(match[1]), admin_domain: domain } });
      else json(404, { error: 'not found' });
      return;
    }
    // The mapping-service calls this one with an SSO `token` on the tenant's admin domain.
    const ssoOk = typeof query.token === 'string' && query.token.startsWith('sso-');
    if (!this.authorized(req, query) && !ssoOk) {
      json(403, { error: 'Forbidden' });
      return;
    }

    if (path === '/admin/api/services.json') {
      json(200, { services: [...this.services.keys()].map((id) => ({ service: { id: Number(id) || id, system_name: `service_${id}` } })) });
      return;
    }
    if ((match = /^\/admin\/api\/services\/([^/]+)\/proxy\/configs\/(\w+)\/(\w+)\.json$/.exec(path))) {
      const version = match[3] === 'latest' ? undefined : Number(match[3]);
      const pc = this.proxyConfig(match[1], match[2], version);
      if (pc) json(200, pc);
      else json(404, { status: 'Not found' });
      return;
    }
    if ((match = /^\/admin\/api\/account\/proxy_configs\/(\w+)\.json$/.exec(path))) {
      if (!this.accountProxyConfigs) {
        json(404, { status: 'Not found' });
        return;
      }
      const { configs, page } = this.accountPage(match[1], query);
      const failure = this.failPage?.page === page ? this.failPage.how : undefined;
      if (failure === 'error') {
        json(500, { error: `page ${page} failing on purpose` });
        return;
      }
      if (failure === 'timeout') {
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      }
      if (failure === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"proxy_configs": [ {"proxy_config": trunc');
        return;
      }
      if (failure === 'invalid' && configs.length > 0) {
        const first = configs[0].proxy_config as { content: Service };
        configs[0] = { proxy_config: { ...first, content: { ...first.content, proxy: { proxy_rules: [{ http_method: 'GET' }] } } } };
      }
      json(200, { proxy_configs: configs });
      return;
    }
    if ((match = /^\/admin\/api\/services\/proxy\/configs\/(\w+)\.json$/.exec(path))) {
      json(200, this.byHost(match[1], query.host ?? ''));
      return;
    }
    if (path === '/admin/api/nginx/spec.json') {
      json(200, { services: [...this.services.keys()].map((id) => this.latest(id, 'production')).filter(Boolean) });
      return;
    }
    if ((match = /^\/.+\/(\w+)\.json$/.exec(path))) {
      // endpoint-with-path form (A)
      json(200, this.byHost(match[1], query.host ?? ''));
      return;
    }
    json(404, { status: 'Not found' });
  }
}

export async function startFakePortal(options: FakePortalOptions = {}): Promise<FakePortal> {
  return new FakePortal(options).start();
}
