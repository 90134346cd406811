/**
 * A real HTTP upstream on loopback for policy tests. It records every request
 * it receives (method, target, headers, body) and answers with a handler the
 * test supplies (default: 200 JSON echo of the request).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type UpstreamHandler = (request: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

export interface UpstreamServer {
  url: string;
  port: number;
  received: ReceivedRequest[];
  server: Server;
  setHandler(handler: UpstreamHandler): void;
  close(): Promise<void>;
}

export const echoHandler: UpstreamHandler = (request, res) => {
  const body = JSON.stringify({ method: request.method, url: request.url, headers: request.headers, body: request.body });
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
};

export async function startUpstream(handler: UpstreamHandler = echoHandler): Promise<UpstreamServer> {
  const received: ReceivedRequest[] = [];
  let current = handler;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const record = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      received.push(record);
      Promise.resolve(current(record, res)).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    server,
    setHandler(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
