/**
 * The fake 3scale API (Account Management + Master API + the proxy config
 * endpoints gateways read) on 127.0.0.1, for the operator's and gateway's
 * tests. See README.md for what it serves and how to use it.
 *
 * One node:http server; each request: parse → record → fault injection →
 * token → route → JSON answer. Requests are routed by access token, not by
 * Host: every tenant's admin API is this same URL.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { FakeBackendOptions } from '../../gateway/test-support/fake-backend.js';
import { AdminUi } from './admin-ui.js';
import { ACCESS_DENIED, WRONG_TOKEN, tokenOf } from './auth.js';
import { backendOptionsOf } from './backend-export.js';
import { parseBody, type Fields } from './body.js';
import { defaultFailureBody, Faults, withoutToken, type FailRule, type RecordedCall } from './calls.js';
import { ApiError, notFound, type Reply } from './reply.js';
import { adminRouter, masterAdminRouter, masterRouter } from './routes/index.js';
import type { FakeSettings } from './router.js';
import { State, type Tenant } from './state.js';

export type { FailRule, RecordedCall } from './calls.js';

export interface Fake3scaleOptions {
  /** The default tenant's access token (random when not given). */
  accessToken?: string;
  /** The Master API token (random when not given). */
  masterToken?: string;
  /** `proxy.backend.endpoint` of proxy configs: where gateways send authrep (a FakeBackend's url). */
  backendEndpoint?: string;
  /** Wildcard domain of the default staging/production endpoints (`<product>-<tenant>.<env>.<domain>`). */
  gatewayDomain?: string;
  /** Serve HTTPS with this certificate (the admin portal of a self-signed test install). */
  tls?: { cert: string; key: string };
}

export interface Fake3scale {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly accessToken: string;
  readonly masterToken: string;
  /** Every call, in arrival order. */
  readonly calls: RecordedCall[];
  /** The calls that are not GET. */
  writes(): RecordedCall[];
  resetCalls(): void;
  readonly state: State;
  /** The tenant of a token (the default tenant without one). Throws for an unknown token. */
  tenant(token?: string): Tenant;
  /** The next `times` (1) calls matching `pathPrefix`/`method` answer `status`. */
  failNext(rule: FailRule): void;
  /** Calls whose path starts with `pathPrefix` are never answered, until unhang() or close(). */
  hang(pathPrefix: string): void;
  unhang(): void;
  adminUi(token?: string): AdminUi;
  /** Service tokens and applications for `FakeBackend.start(...)` (gateway/test-support/fake-backend.ts). */
  backendOptions(token?: string): Required<Pick<FakeBackendOptions, 'serviceTokens' | 'applications'>>;
  /** Where `proxy.backend.endpoint` points, for configs deployed from now on. */
  setBackendEndpoint(url: string): void;
  /** `http://TOKEN@127.0.0.1:<port>`: THREESCALE_PORTAL_ENDPOINT for a gateway reading this tenant. */
  portalEndpoint(token?: string): string;
  close(): Promise<void>;
}

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

interface Incoming {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Fields;
  headers: IncomingMessage['headers'];
}

class FakeServer {
  readonly calls: RecordedCall[] = [];
  readonly faults = new Faults();
  readonly state = new State();
  private readonly admin = adminRouter();
  private readonly master = masterRouter();
  private readonly masterAdmin = masterAdminRouter();
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<ServerResponse>();

  constructor(
    readonly settings: FakeSettings,
    readonly masterToken: string,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake3scale');
    const parsed = parseBody(req.headers['content-type'], Buffer.concat(chunks).toString('utf8'));
    const incoming: Incoming = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: parsed.ok ? parsed.fields : {},
      headers: req.headers,
    };
    const call: RecordedCall = {
      method: incoming.method,
      path: incoming.path,
      query: Object.fromEntries([...url.searchParams].filter(([key]) => key !== 'access_token')),
      body: withoutToken(incoming.body),
      status: 0,
      tenant: null,
      at: Date.now(),
    };
    this.calls.push(call);
    if (this.faults.hangs(incoming.path)) {
      this.held.add(res);
      res.once('close', () => this.held.delete(res));
      return;
    }
    const reply = parsed.ok ? this.answer(incoming, call) : { status: 400, body: { error: parsed.error } };
    call.status = reply.status;
    send(res, reply);
  }

  private answer(incoming: Incoming, call: RecordedCall): Reply {
    const injected = this.faults.take(incoming.method, incoming.path);
    if (injected) return { status: injected.status, body: injected.body ?? defaultFailureBody(injected.status) };
    try {
      return incoming.path.startsWith('/master/api/') ? this.answerMaster(incoming, call) : this.answerAdmin(incoming, call);
    } catch (error) {
      if (error instanceof ApiError) return { status: error.status, body: error.body };
      return { status: 500, body: { error: `fake 3scale bug: ${(error as Error).stack ?? String(error)}` } };
    }
  }

  private answerAdmin(incoming: Incoming, call: RecordedCall): Reply {
    const token = tokenOf(incoming.headers, incoming.query, incoming.body);
    if (token === undefined) return { status: 403, body: ACCESS_DENIED };
    if (token === this.masterToken) return this.answerMasterAdmin(incoming, call);
    const tenant = this.state.tenantByToken(token);
    if (!tenant) return { status: 403, body: WRONG_TOKEN };
    call.tenant = tenant.id;
    const route = METHODS.has(incoming.method) ? this.admin.match(incoming.method, incoming.path) : undefined;
    if (!route) throw notFound();
    return route.handler({
      state: this.state,
      settings: this.settings,
      tenant,
      params: route.params,
      query: incoming.query,
      body: withoutToken(incoming.body),
    });
  }

  private answerMaster(incoming: Incoming, call: RecordedCall): Reply {
    const token = tokenOf(incoming.headers, incoming.query, incoming.body);
    if (token === undefined) return { status: 403, body: ACCESS_DENIED };
    if (token !== this.masterToken) return { status: 403, body: WRONG_TOKEN };
    call.tenant = 'master';
    const route = METHODS.has(incoming.method) ? this.master.match(incoming.method, incoming.path) : undefined;
    if (!route) throw notFound();
    return route.handler({
      state: this.state,
      settings: this.settings,
      params: route.params,
      query: incoming.query,
      body: withoutToken(incoming.body),
    });
  }

  /** The master token under /admin/api: only the tenants' admin users; anything else is refused like a wrong token. */
  private answerMasterAdmin(incoming: Incoming, call: RecordedCall): Reply {
    const route = METHODS.has(incoming.method) ? this.masterAdmin.match(incoming.method, incoming.path) : undefined;
    if (!route) return { status: 403, body: WRONG_TOKEN };
    call.tenant = 'master';
    return route.handler({
      state: this.state,
      settings: this.settings,
      params: route.params,
      query: incoming.query,
      body: withoutToken(incoming.body),
    });
  }

  track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** Ends held (hung) calls by cutting their connections: the client sees a reset, never an answer. */
  releaseHeld(): void {
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
  }

  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status, { 'Content-Length': '0' });
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startFake3scale(options: Fake3scaleOptions = {}): Promise<Fake3scale> {
  const settings: FakeSettings = {
    backendEndpoint: options.backendEndpoint ?? 'http://127.0.0.1:1',
    gatewayDomain: options.gatewayDomain ?? 'fake3scale.test',
    url: '',
  };
  const masterToken = options.masterToken ?? randomBytes(16).toString('hex');
  const fake = new FakeServer(settings, masterToken);
  const accessToken = options.accessToken ?? randomBytes(16).toString('hex');
  fake.state.addTenant({ org_name: 'Provider', username: 'admin', email: 'admin@provider.fake3scale.test' }, accessToken);
  // A client that goes away mid-body (a test's timeout, a cut connection) must not become an unhandled rejection.
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    fake.handle(req, res).catch(() => res.destroy());
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, handler) : createServer(handler);
  server.on('connection', (socket: Socket) => {
    fake.track(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  settings.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const tenantOf = (token = accessToken): Tenant => {
    const tenant = fake.state.tenantByToken(token);
    if (!tenant) throw new Error('fake 3scale: no tenant has this token');
    return tenant;
  };
  return {
    url: settings.url,
    accessToken,
    masterToken,
    calls: fake.calls,
    writes: () => fake.calls.filter((c) => c.method !== 'GET'),
    resetCalls: () => {
      fake.calls.length = 0;
    },
    state: fake.state,
    tenant: tenantOf,
    failNext: (rule) => {
      fake.faults.failNext(rule);
    },
    hang: (prefix) => {
      fake.faults.hang(prefix);
    },
    unhang: () => {
      fake.faults.unhang();
      fake.releaseHeld();
    },
    adminUi: (token) => new AdminUi(tenantOf(token), settings),
    backendOptions: (token) => backendOptionsOf(tenantOf(token)),
    setBackendEndpoint: (url) => {
      settings.backendEndpoint = url;
    },
    portalEndpoint: (token = accessToken) => `http://${encodeURIComponent(token)}@127.0.0.1:${port}`,
    close: async () => {
      fake.faults.clear();
      fake.releaseHeld();
      const closed = new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      fake.destroyAll();
      await closed;
    },
  };
}
