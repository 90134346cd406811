/**
 * A real upstream API for tests: records each request (method, target,
 * headers, body) and answers it as JSON, unless a route handler is set.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface UpstreamRequest {
  method: string;
  /** Request target exactly as received. */
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: Buffer;
}

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

export class TestUpstream {
  readonly requests: UpstreamRequest[] = [];
  /** Replaces the default JSON echo. */
  handler: UpstreamHandler | undefined;
  /** When set, the request body is not read before calling the handler (streaming tests). */
  streamingHandler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly host: string,
  ) {}

  /**
   * `host`: the loopback address to listen on (another one than 127.0.0.1 tells two upstreams apart by IP).
   * `maxHeaderSize`: Node's 16 KiB default would answer 431 itself to what the gateway accepts (32 KiB).
   */
  static async start(host = '127.0.0.1', options: { maxHeaderSize?: number } = {}): Promise<TestUpstream> {
    // The server's callbacks read `upstream`, declared once it listens: no connection reaches them before.
    const server = createServer({ ...(options.maxHeaderSize ? { maxHeaderSize: options.maxHeaderSize } : {}) }, (req, res) => {
      void handle(req, res);
    });
    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const u = upstream;
      if (u.streamingHandler) {
        u.streamingHandler(req, res);
        return;
      }
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of req) chunks.push(chunk as Buffer);
      } catch {
        return; // the gateway aborted this request (client gone, timeout, shutdown): nothing to answer
      }
      const body = Buffer.concat(chunks);
      u.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body });
      if (u.handler) return u.handler(req, res, body);
      const json = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: body.toString() });
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Upstream': 'yes' });
      res.end(json);
    };
    server.on('connection', (socket) => {
      upstream.sockets.add(socket);
      socket.on('close', () => upstream.sockets.delete(socket));
    });
    await new Promise<void>((resolve) =>
      server.listen(0, host, () => {
        resolve();
      }),
    );
    const upstream = new TestUpstream(server, (server.address() as AddressInfo).port, host);
    return upstream;
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  get last(): UpstreamRequest | undefined {
    return this.requests[this.requests.length - 1];
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }
}
