/**
 * An HTTPS upstream on loopback, with the test CA's server certificate, that answers
 * `secure <url> via-camel=<x-via-camel header or "no">` so proxy tests can see the path
 * a request took.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tlsMaterial } from './tls-material.js';

export interface SecureUpstream {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startSecureUpstream(): Promise<SecureUpstream> {
  const tls = await tlsMaterial();
  const server: Server = createServer({ cert: tls.server.cert, key: tls.server.key }, (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`secure ${req.url ?? ''} via-camel=${String(req.headers['x-via-camel'] ?? 'no')}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}
