/**
 * An Apache-Camel-like forward proxy for the camel policy tests: it speaks
 * TLS itself (SNI recorded), accepts absolute-form `https://host:port/path`
 * requests (no CONNECT) and forwards them over TLS to the target. Records
 * method, target and SNI of every request.
 */
import { createServer, request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tlsSocketOf } from '../tls-socket.js';

export interface CamelProxied {
  method: string;
  target: string;
  servername: string | false;
}

export interface CamelProxy {
  url: string;
  port: number;
  requests: CamelProxied[];
  close(): Promise<void>;
}

export async function startCamelProxy(tls: { cert: string; key: string }): Promise<CamelProxy> {
  const requests: CamelProxied[] = [];
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const servername = tlsSocketOf(req).servername;
    requests.push({ method: req.method ?? '', target: req.url ?? '', servername: servername ?? false });
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400);
      res.end('absolute https URI required');
      return;
    }
    const forwarded = httpsRequest(
      {
        host: target.hostname,
        port: target.port || 443,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers: { ...req.headers, 'x-via-camel': '1' },
        rejectUnauthorized: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
