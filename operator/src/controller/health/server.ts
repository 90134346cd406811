// Liveness (/healthz: the process and its event loop answer), readiness (/readyz: informers synced and this
// replica either leads or is a healthy standby) and /metrics on one HTTP port.
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface HealthState {
  ready: () => boolean;
}

export async function startHealthServer(port: number, host: string, registry: Registry, state: HealthState): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (path === '/readyz') {
      const ready = state.ready();
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ok' : 'not ready');
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve();
    });
  });
  return server;
}
