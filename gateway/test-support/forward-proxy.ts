/**
 * A tiny forward proxy on loopback for the HTTP_PROXY / HTTPS_PROXY tests:
 * absolute-URI requests (`GET http://host/path`) are forwarded, CONNECT
 * opens a tunnel; every request is recorded (method and target) so tests
 * can prove the traffic went through it.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxiedRequest {
  method: string;
  target: string;
}

export interface ForwardProxyOptions {
  /** When set, a request whose Proxy-Authorization differs from it is answered 407. */
  requireAuthorization?: string;
  /** Serve the proxy itself over TLS (an `https://` proxy URL). */
  tls?: { cert: string; key: string };
}

export class ForwardProxy {
  readonly requests: ProxiedRequest[] = [];
  /** Proxy-Authorization of each request, index-aligned with `requests`. */
  readonly authorizations: (string | undefined)[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: ForwardProxyOptions = {}) {}

  private refused(authorization: string | undefined): boolean {
    return this.options.requireAuthorization !== undefined && authorization !== this.options.requireAuthorization;
  }

  get port(): number {
    if (!this.server) throw new Error('forward proxy: not started');
    return (this.server.address() as AddressInfo).port;
  }
  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const listener = (req: IncomingMessage, res: ServerResponse): void => {
      this.requests.push({ method: req.method ?? 'GET', target: req.url ?? '' });
      this.authorizations.push(req.headers['proxy-authorization']);
      if (this.refused(req.headers['proxy-authorization'])) {
        res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"', 'Content-Type': 'text/plain' });
        res.end('proxy authentication required');
        return;
      }
      const { 'proxy-authorization': _dropped, ...forwarded } = req.headers;
      let target: URL;
      try {
        target = new URL(req.url ?? '');
      } catch {
        res.writeHead(400);
        res.end('absolute URI required');
        return;
      }
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port || 80,
          path: `${target.pathname}${target.search}`,
          method: req.method,
          headers: { ...forwarded, 'x-forwarded-by-test-proxy': '1' },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    };
    this.server = this.options.tls ? createTlsServer(this.options.tls, listener) : createServer(listener);
    this.server.on('connect', (req, client: Socket, head: Buffer) => {
      this.requests.push({ method: 'CONNECT', target: req.url ?? '' });
      this.authorizations.push(req.headers['proxy-authorization']);
      if (this.refused(req.headers['proxy-authorization'])) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      this.sockets.add(client);
      this.sockets.add(upstream);
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.server?.close(() => {
        resolve();
      }),
    );
  }
}

export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  return new ForwardProxy(options).start();
}
