/**
 * A fake 3scale Service Management API (apisonator) for tests, speaking
 * gateway.md §4.6: authrep / oauth_authrep / authorize / oauth_authorize
 * (GET, XML answers, 409 + `3scale-rejection-reason` for validator denials,
 * 403/404/422 `<error>` for request errors, limit headers, `3scale-options`
 * honoured) and report (POST /transactions.xml → 202). It keeps real usage
 * counters per application so limits are exceeded by traffic, records every
 * call, and can be told to be slow, to fail with a status, to be down, to
 * answer garbage or to never answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type BackendCallKind = 'authrep' | 'oauth_authrep' | 'authorize' | 'oauth_authorize' | 'report' | 'store_token' | 'other';

export interface RecordedBackendCall {
  kind: BackendCallKind;
  method: string;
  path: string;
  /** Raw query string. */
  query: string;
  params: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  /** Status answered (0 when the connection was cut). */
  status: number;
  at: number;
}

export interface FakeApplication {
  user_key?: string;
  app_id?: string;
  app_key?: string;
  access_token?: string;
  /** Registered OAuth redirect URL (checked against `redirect_uri` when sent). */
  redirect_url?: string;
  /** Metric → max per minute. Metrics not listed are unlimited. A 0 max means disabled metric. */
  limits?: Record<string, number>;
  active?: boolean;
}

export interface FakeBackendOptions {
  /** Accepted `service_token` values per service id. */
  serviceTokens?: Record<string, string>;
  /** Accepted `provider_key` values (any service). */
  providerKeys?: string[];
  applications?: FakeApplication[];
  /** Seconds sent as 3scale-limit-reset for limit headers. */
  limitReset?: number;
}

export class FakeBackend {
  readonly calls: RecordedBackendCall[] = [];
  /** Milliseconds to wait before answering each call. */
  delayMs = 0;
  /** Milliseconds to wait before answering one call, by its 1-based arrival number (added to delayMs). */
  delayOf: ((arrival: number, call: RecordedBackendCall) => number) | undefined;
  private arrivals = 0;
  /** Calls received so far, answered or not (calls[] holds the answered ones). */
  get arrived(): number {
    return this.arrivals;
  }
  /** When set, every call answers this status with an empty body (e.g. 500, 503). */
  failWith: number | undefined;
  /** When true, connections are reset without an answer (status 0 for the gateway). */
  down = false;
  /**
   * The next N calls arriving on an already used keep-alive connection are
   * cut without an answer: the race of a server closing an idle connection
   * just as the client reuses it. Recorded with status 0.
   */
  cutReusedConnections = 0;
  /** When true, each call is answered with bytes that are not HTTP (status 0 for the gateway: no valid answer). */
  garbage = false;
  /** When true, calls are recorded and never answered: only the gateway's own timeout ends them. */
  hang = false;
  /** Hung calls whose connection the client closed (it gave up waiting). */
  abandoned = 0;
  private readonly requestsPerSocket = new WeakMap<Socket, number>();
  private readonly usage = new Map<string, Map<string, number>>();
  /** Tokens stored through oauth_access_tokens.xml → their application. */
  readonly storedTokens = new Map<string, FakeApplication>();
  private readonly sockets = new Set<Socket>();
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly options: FakeBackendOptions,
  ) {}

  static async start(options: FakeBackendOptions = {}): Promise<FakeBackend> {
    // The server's callbacks read `backend`, declared once it listens: no connection reaches them before.
    const server = createServer((req, res) => {
      void backend.handle(req, res);
    });
    server.on('connection', (socket) => {
      backend.sockets.add(socket);
      socket.on('close', () => backend.sockets.delete(socket));
      if (backend.down) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        resolve();
      });
    });
    const backend = new FakeBackend(server, (server.address() as AddressInfo).port, options);
    return backend;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  callsOf(kind: BackendCallKind): RecordedBackendCall[] {
    return this.calls.filter((c) => c.kind === kind);
  }

  /** Resolves once at least `count` calls were recorded (post-action reports arrive after the response). */
  async waitForCalls(count: number, timeoutMs = 5000): Promise<void> {
    if (this.calls.length >= count) return;
    await Promise.race([
      new Promise<void>((resolve) => this.waiters.push({ count, resolve })),
      sleep(timeoutMs).then(() => {
        throw new Error(`fake backend: expected ${count} calls, got ${this.calls.length}: ${this.calls.map((c) => c.kind).join(', ')}`);
      }),
    ]);
  }

  reset(): void {
    this.calls.length = 0;
    this.usage.clear();
    this.delayMs = 0;
    this.delayOf = undefined;
    this.arrivals = 0;
    this.failWith = undefined;
    this.down = false;
    this.cutReusedConnections = 0;
    this.garbage = false;
    this.hang = false;
    this.abandoned = 0;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }

  private record(call: RecordedBackendCall): void {
    this.calls.push(call);
    for (const waiter of [...this.waiters]) {
      if (this.calls.length >= waiter.count) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const kind = this.kindOf(req.method ?? 'GET', path);
    const body = Buffer.concat(chunks).toString();
    const call: RecordedBackendCall = {
      kind,
      method: req.method ?? 'GET',
      path,
      query,
      // store_token carries its parameters in the form body.
      params: new URLSearchParams(kind === 'store_token' ? body : query),
      headers: req.headers,
      body,
      status: 0,
      at: Date.now(),
    };
    const onSocket = (this.requestsPerSocket.get(req.socket) ?? 0) + 1;
    this.requestsPerSocket.set(req.socket, onSocket);
    if (onSocket > 1 && this.cutReusedConnections > 0) {
      this.cutReusedConnections--;
      this.record(call);
      req.socket.destroy();
      return;
    }
    const delay = this.delayMs + (this.delayOf?.(++this.arrivals, call) ?? 0);
    if (delay > 0) await sleep(delay);
    if (this.down) {
      this.record(call);
      req.socket.destroy();
      return;
    }
    if (this.garbage) {
      this.record(call);
      req.socket.end('\u0000\u0017 this is not an HTTP answer \r\n\r\n');
      return;
    }
    if (this.hang) {
      this.record(call);
      req.socket.once('close', () => {
        this.abandoned++;
      });
      return;
    }
    const answer = this.failWith !== undefined ? { status: this.failWith, headers: {}, body: '' } : this.answer(call);
    call.status = answer.status;
    this.record(call);
    const options = new URLSearchParams(String(req.headers['3scale-options'] ?? ''));
    const headers: Record<string, string> = { 'Content-Type': 'application/vnd.3scale-v2.0+xml' };
    for (const [name, value] of Object.entries(answer.headers)) {
      if (name === '3scale-rejection-reason' && options.get('rejection_reason_header') !== '1') continue;
      if (name.startsWith('3scale-limit-') && options.get('limit_headers') !== '1') continue;
      headers[name] = value;
    }
    const answerBody = options.get('no_body') === '1' && (answer.status === 200 || answer.status === 409) ? '' : answer.body;
    res.writeHead(answer.status, headers);
    res.end(answerBody);
  }

  private kindOf(method: string, path: string): BackendCallKind {
    if (method === 'POST' && path === '/transactions.xml') return 'report';
    if (method === 'POST' && /^\/services\/[^/]+\/oauth_access_tokens\.xml$/.test(path)) return 'store_token';
    const match = /^\/transactions\/(authrep|oauth_authrep|authorize|oauth_authorize)\.xml$/.exec(path);
    return match && method === 'GET' ? (match[1] as BackendCallKind) : 'other';
  }

  private answer(call: RecordedBackendCall): { status: number; headers: Record<string, string>; body: string } {
    const p = call.params;
    if (call.kind === 'other') return errorAnswer(404, 'not_found', 'not found');
    const token = p.get('service_token');
    const providerKey = p.get('provider_key');
    const serviceId = p.get('service_id');
    if (token === null && providerKey === null)
      return errorAnswer(403, 'provider_key_or_service_token_required', 'Provider key or service token are required');
    if (serviceId === null) return errorAnswer(422, 'service_id_missing', 'Service id is missing');
    if (token !== null && this.options.serviceTokens?.[serviceId] !== token)
      return errorAnswer(403, 'service_token_invalid', `service token "${token}" is invalid`);
    if (providerKey !== null && !(this.options.providerKeys ?? []).includes(providerKey))
      return errorAnswer(403, 'provider_key_invalid', `provider key "${providerKey}" is invalid`);
    if (call.kind === 'report') return { status: 202, headers: {}, body: '' };
    if (call.kind === 'store_token') {
      const owner = (this.options.applications ?? []).find((a) => a.app_id === p.get('app_id'));
      if (!owner) return errorAnswer(404, 'application_not_found', `application with id="${p.get('app_id')}" was not found`);
      this.storedTokens.set(p.get('token') ?? '', owner);
      return { status: 200, headers: {}, body: '' };
    }

    const apps = this.options.applications ?? [];
    let app: FakeApplication | undefined;
    if (p.has('user_key') && p.has('app_id'))
      return errorAnswer(403, 'authentication_error', 'either app_id or user_key is allowed, not both');
    if (p.has('user_key')) {
      app = apps.find((a) => a.user_key !== undefined && a.user_key === p.get('user_key'));
      if (!app) return errorAnswer(403, 'user_key_invalid', `user key "${p.get('user_key')}" is invalid`);
    } else if (p.has('access_token')) {
      app =
        apps.find((a) => a.access_token !== undefined && a.access_token === p.get('access_token')) ??
        this.storedTokens.get(p.get('access_token') ?? '');
      if (!app) return errorAnswer(404, 'access_token_invalid', `access token "${p.get('access_token')}" is invalid`);
    } else if (p.has('app_id')) {
      app = apps.find((a) => a.app_id === p.get('app_id'));
      if (!app) return errorAnswer(404, 'application_not_found', `application with id="${p.get('app_id')}" was not found`);
      const keyRequired = !call.kind.startsWith('oauth') || p.has('app_key');
      if (keyRequired && app.app_key !== undefined && app.app_key !== p.get('app_key')) {
        return denial(
          'application_key_invalid',
          p.get('app_key') ? `application key "${p.get('app_key')}" is invalid` : 'application key is missing',
        );
      }
    } else {
      return errorAnswer(403, 'user_key_invalid', 'user key is missing');
    }
    if (app.active === false) return denial('application_not_active', 'application is not active');
    if (p.has('redirect_uri') && app.redirect_url !== undefined && p.get('redirect_uri') !== app.redirect_url) {
      return denial('redirect_uri_invalid', `redirect_uri "${p.get('redirect_uri')}" is invalid`);
    }

    const appId = app.user_key ?? app.app_id ?? app.access_token ?? '';
    const counters = this.usage.get(appId) ?? new Map<string, number>();
    this.usage.set(appId, counters);
    const requested: [string, number][] = [];
    for (const [name, value] of p) {
      const m = /^usage\[(.+)\]$/.exec(name);
      if (m) requested.push([m[1], Number(value)]);
    }
    const reset = String(this.options.limitReset ?? 42);
    for (const [metric, delta] of requested) {
      const max = app.limits?.[metric];
      if (max === undefined) continue;
      const current = counters.get(metric) ?? 0;
      if (current + delta > max) {
        return denial('limits_exceeded', 'usage limits are exceeded', {
          '3scale-limit-remaining': '0',
          '3scale-limit-reset': reset,
          '3scale-limit-max-value': String(max),
        });
      }
    }
    const reports = call.kind === 'authrep' || call.kind === 'oauth_authrep';
    if (reports) for (const [metric, delta] of requested) counters.set(metric, (counters.get(metric) ?? 0) + delta);
    const limited = requested.find(([metric]) => app.limits?.[metric] !== undefined)?.[0];
    const max = limited === undefined ? undefined : app.limits?.[limited];
    const headers: Record<string, string> =
      limited !== undefined && max !== undefined
        ? {
            '3scale-limit-remaining': String(max - (counters.get(limited) ?? 0)),
            '3scale-limit-reset': reset,
            '3scale-limit-max-value': String(max),
          }
        : { '3scale-limit-remaining': '-1', '3scale-limit-reset': '-1' };
    const application =
      call.kind.startsWith('oauth') && app.app_id !== undefined
        ? `<application><id>${app.app_id}</id><key>${app.app_key ?? ''}</key><redirect_url>${app.redirect_url ?? ''}</redirect_url></application>`
        : '';
    return { status: 200, headers, body: statusXml(true, undefined, application) };
  }
}

function statusXml(authorized: boolean, reason?: string, application = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?><status><authorized>${authorized}</authorized>${reason ? `<reason>${reason}</reason>` : ''}<plan>Basic</plan>${application}</status>`;
}

function denial(
  code: string,
  reason: string,
  extra: Record<string, string> = {},
): { status: number; headers: Record<string, string>; body: string } {
  return { status: 409, headers: { '3scale-rejection-reason': code, ...extra }, body: statusXml(false, reason) };
}

function errorAnswer(status: number, code: string, text: string): { status: number; headers: Record<string, string>; body: string } {
  return { status, headers: {}, body: `<?xml version="1.0" encoding="UTF-8"?><error code="${code}">${text}</error>` };
}
