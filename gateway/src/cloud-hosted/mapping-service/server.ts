/**
 * The mapping-service (gateway.md §9.2): `GET <any prefix>/<env>.json?host=H`
 * answers the tenant's proxy configs for H, fetched with the master token;
 * anything else, or any failure, 404. Access log in combined format to
 * stdout.
 */
import { createServer, type Server } from 'node:http';
import type { MasterClient } from './master-client.js';
import { environmentFromPath, providerIdFromHost } from './resolve-host.js';

export interface MappingServerOptions {
  accessLog?: (line: string) => void;
  /** Every answer, for the metrics (status, seconds from request to last byte). */
  onAnswer?: (status: number, seconds: number) => void;
}

export function createMappingServer(client: MasterClient, options: MappingServerOptions = {}): Server {
  const accessLog = options.accessLog ?? ((l: string) => process.stdout.write(`${l}\n`));
  return createServer((req, res) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://mapping-service');
    const answer = (status: number, body: string, type = 'text/plain') => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      options.onAnswer?.(status, Number(process.hrtime.bigint() - started) / 1e9);
      const when = new Date().toUTCString();
      // Combined log format; the query holds no secret (host only).
      accessLog(
        `${req.socket.remoteAddress ?? '-'} - - [${when}] "${req.method} ${req.url} HTTP/${req.httpVersion}" ${status} ${Buffer.byteLength(body)} "${req.headers.referer ?? '-'}" "${req.headers['user-agent'] ?? '-'}"`,
      );
    };
    const env = req.method === 'GET' ? environmentFromPath(url.pathname) : undefined;
    const host = url.searchParams.get('host');
    const providerId = host ? providerIdFromHost(host) : undefined;
    if (!env || !host || !providerId) {
      answer(404, 'Not Found\n');
      return;
    }
    client.proxyConfigs(providerId, env, host).then(
      (body) => {
        if (body === undefined) answer(404, 'Not Found\n');
        else answer(200, body, 'application/json');
      },
      () => {
        answer(404, 'Not Found\n');
      },
    );
  });
}
