/**
 * A fake 3scale admin portal for tests, speaking the protocol of gateway.md §2
 * (services index, per-service proxy configs latest/pinned, configs by host,
 * the legacy spec.json) and the master endpoints the mapping-service uses
 * (§9.2: SSO tokens, accounts). Credentials are checked as the real portal
 * does: Basic auth from the endpoint's userinfo (`TOKEN:`), or an
 * `access_token` / `token` query parameter. It records every request, and it
 * can be made slow, wrong (5xx, garbage JSON, invalid configuration) or down.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
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

export class FakePortal {
  readonly requests: RecordedRequest[] = [];
  mode: PortalMode = 'ok';
  /** Added before every answer. */
  delayMs = 0;
  /** Sent as Cache-Control on 200 answers when set (mapping-service caching tests). */
  cacheControl: string | undefined;
  /** Paths starting with one of these answer 500 (to exercise one protocol's fallback). */
  failingPaths: string[] = [];
  readonly accessToken: string;
  private readonly services = new Map<string, { env: string; version: number; content: Service }[]>();
  private server: Server | undefined;
  private ssoCounter = 0;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(private readonly options: FakePortalOptions = {}) {
    this.accessToken = options.accessToken ?? 'portal-token-123';
  }

  get port(): number { return (this.server!.address() as AddressInfo).port; }
  /** `http://TOKEN@127.0.0.1:PORT` — what THREESCALE_PORTAL_ENDPOINT looks like. */
  endpoint(path = ''): string { return `${this.options.tls ? 'https' : 'http'}://${this.accessToken}@127.0.0.1:${this.port}${path}`; }

  /** Publishes a new version of a service's proxy config on a channel (version numbers count up per service and env). */
  publish(content: Service, env = 'production'): number {
    const id = String(content.id);
    const versions = this.services.get(id) ?? [];
    const version = versions.filter((v) => v.env === env).length + 1;
    versions.push({ env, version, content: structuredClone(content) });
    this.services.set(id, versions);
    return version;
  }

  remove(id: string | number): void { this.services.delete(String(id)); }

  requestsTo(pathPrefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(pathPrefix));
  }

  async start(port = 0): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => { void this.handle(req, res); };
    this.server = this.options.tls ? createHttpsServer(this.options.tls, handler) : createServer(handler);
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this;
  }

  /** Closes the listener and every open connection ("down"). */
  async stop(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
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

  private authorized(req: IncomingMessage, query: Record<string, string>): boolean {
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
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query, headers: req.headers, body: Buffer.concat(chunks).toString() });
    if (this.delayMs > 0) await sleep(this.delayMs);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const caching: Record<string, string> = status === 200 && this.cacheControl ? { 'cache-control': this.cacheControl } : {};
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...caching, ...headers });
      res.end(JSON.stringify(body));
    };
    if (this.failingPaths.some((p) => url.pathname.startsWith(p))) return json(500, { error: 'failing on purpose' });
    if (this.mode === 'error') return json(503, { error: 'portal is having a bad day' });
    if (this.mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"services": [ this is not json');
      return;
    }

    const path = url.pathname;
    let match: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/admin/api/sso_tokens/provider_create.json') {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      if (form.get('access_token') !== this.accessToken) return json(403, { error: 'forbidden' });
      const expires = new Date(Date.now() + (this.options.ssoTokenLifetimeSeconds ?? 60) * 1000).toUTCString();
      return json(201, { sso_token: { token: `sso-${form.get('provider_id')}-${++this.ssoCounter}` } }, { expires });
    }
    if ((match = /^\/admin\/api\/accounts\/(\w+)\.json$/.exec(path))) {
      if (!this.authorized(req, query)) return json(403, { error: 'forbidden' });
      const domain = this.options.accounts?.[match[1]!];
      return domain ? json(200, { account: { id: Number(match[1]), admin_domain: domain } }) : json(404, { error: 'not found' });
    }
    // The mapping-service calls this one with an SSO `token` on the tenant's admin domain.
    const ssoOk = typeof query.token === 'string' && query.token.startsWith('sso-');
    if (!this.authorized(req, query) && !ssoOk) return json(403, { error: 'Forbidden' });

    if (path === '/admin/api/services.json') {
      return json(200, { services: [...this.services.keys()].map((id) => ({ service: { id: Number(id) || id, system_name: `service_${id}` } })) });
    }
    if ((match = /^\/admin\/api\/services\/([^/]+)\/proxy\/configs\/(\w+)\/(\w+)\.json$/.exec(path))) {
      const version = match[3] === 'latest' ? undefined : Number(match[3]);
      const pc = this.proxyConfig(match[1]!, match[2]!, version);
      return pc ? json(200, pc) : json(404, { status: 'Not found' });
    }
    if ((match = /^\/admin\/api\/services\/proxy\/configs\/(\w+)\.json$/.exec(path))) {
      return json(200, this.byHost(match[1]!, query.host ?? ''));
    }
    if (path === '/admin/api/nginx/spec.json') {
      return json(200, { services: [...this.services.keys()].map((id) => this.latest(id, 'production')).filter(Boolean) });
    }
    if ((match = /^\/.+\/(\w+)\.json$/.exec(path))) { // endpoint-with-path form (A)
      return json(200, this.byHost(match[1]!, query.host ?? ''));
    }
    json(404, { status: 'Not found' });
  }
}

export async function startFakePortal(options: FakePortalOptions = {}): Promise<FakePortal> {
  return new FakePortal(options).start();
}
