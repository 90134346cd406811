/**
 * The metrics listener (gateway.md §7): `GET /metrics` answers the
 * exposition text with `Content-Type: text/plain`; any other path 404.
 * `collect` is either this process's registry or the cluster aggregation.
 */
import { createServer, type Server } from 'node:http';
import { toGatewayExposition } from './exposition.js';
import { asError } from '../shared/errors.js';

export function createMetricsServer(collect: () => Promise<string>): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found\n');
      return;
    }
    collect().then(
      (text) => {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(toGatewayExposition(text));
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`metrics collection failed: ${asError(error).message}\n`);
      },
    );
  });
}
