/**
 * A real HTTPS listener that asks for client certificates (as the gateway's
 * HTTPS listener must for tls_validation / oauth_mtls) and runs one policy's
 * access phase over the core's own request and context objects
 * (IncomingRequest, RequestContext), answering with the exit decision or 200
 * "allowed". Lets the TLS policies be tested over real handshakes until the
 * gateway's HTTPS listener exists.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { Policy } from '../../src/chain/policy.js';
import { RequestContext } from '../../src/chain/request-context.js';
import { InMemoryConfigurationStore } from '../../src/config/store.js';
import { IncomingRequest } from '../../src/http/request.js';
import { parseSettings } from '../../src/settings.js';

export interface TlsPolicyServer {
  url: string;
  /** Sets ctx.jwt before the policy runs (oauth_mtls needs a token's claims). */
  jwt: Record<string, unknown> | undefined;
  close(): Promise<void>;
}

export async function startTlsPolicyServer(policy: Policy, tls: { cert: string; key: string }): Promise<TlsPolicyServer> {
  const settings = parseSettings({});
  const store = new InMemoryConfigurationStore();
  const log = pino({ level: 'silent' });
  const handle: TlsPolicyServer = { url: '', jwt: undefined, close: () => Promise.resolve() };
  const server: Server = createServer({ cert: tls.cert, key: tls.key, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const ctx = new RequestContext(new IncomingRequest(req, 'https'), settings, store, log);
    ctx.jwt = handle.jwt;
    Promise.resolve(policy.access?.(ctx)).then(
      () => {
        const decision = ctx.exitDecision;
        if (!decision) {
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end('allowed');
          return;
        }
        res.writeHead(decision.status, decision.headers ?? {});
        res.end(decision.body ?? '');
      },
      (error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  handle.url = `https://localhost:${(server.address() as AddressInfo).port}`;
  handle.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => {
        resolve();
      });
    });
  return handle;
}
