/**
 * The upstream half of a WebSocket (or any HTTP/1.1 Upgrade) proxy, for the
 * gateway's `upgrade` listener once the chain's rewrite/access phases let the
 * request through (policies.md §5.37): sends the handshake upstream with
 * `Connection: Upgrade`, relays the upstream's answer byte for byte, and on
 * `101` splices the two sockets. A refused handshake (any other status) is
 * relayed as a normal response; an unreachable upstream gets 502.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Upstream } from '../../src/upstream/upstream.js';

export interface TunnelRequest {
  upstream: Upstream;
  method: string;
  /** Request target sent upstream (path and query). */
  target: string;
  /** Headers to send as [name, value] pairs (Host included); Connection/Upgrade are set here. */
  headers: [string, string][];
  upgrade: string;
  tls?: { rejectUnauthorized: boolean; servername?: string; ca?: string; cert?: string; key?: string };
  connectTimeoutMs?: number;
}

const HOP_BY_HOP = new Set(['connection', 'upgrade', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding']);

function head(statusCode: number, statusMessage: string, rawHeaders: readonly string[]): string {
  let text = `HTTP/1.1 ${statusCode} ${statusMessage}\r\n`;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) text += `${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`;
  return `${text}\r\n`;
}

function badGateway(client: Duplex): void {
  const body = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>';
  client.end(`HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
}

/** Resolves with the status the client got (101 on success) once the handshake is settled. */
export function tunnelUpgrade(client: Duplex, clientHead: Buffer, spec: TunnelRequest): Promise<{ status: number }> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of spec.headers) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) continue;
    const previous = headers[lower];
    headers[lower] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  headers['connection'] = 'Upgrade';
  headers['upgrade'] = spec.upgrade;
  const options = {
    host: spec.upstream.host,
    port: spec.upstream.port,
    method: spec.method,
    path: spec.target,
    headers,
    timeout: spec.connectTimeoutMs ?? 60_000,
    ...(spec.upstream.scheme === 'https' ? spec.tls ?? { rejectUnauthorized: false } : {}),
  };
  return new Promise((resolve) => {
    let settled = false;
    const settle = (status: number): void => {
      if (!settled) { settled = true; resolve({ status }); }
    };
    const upstreamRequest: ClientRequest = spec.upstream.scheme === 'https' ? httpsRequest(options) : httpRequest(options);
    upstreamRequest.on('timeout', () => upstreamRequest.destroy(new Error('upstream timed out')));
    upstreamRequest.on('upgrade', (response: IncomingMessage, upstreamSocket: Duplex, upstreamHead: Buffer) => {
      client.write(head(response.statusCode ?? 101, response.statusMessage ?? 'Switching Protocols', response.rawHeaders));
      if (upstreamHead.length > 0) client.write(upstreamHead);
      if (clientHead.length > 0) upstreamSocket.write(clientHead);
      upstreamSocket.pipe(client);
      client.pipe(upstreamSocket);
      const closeBoth = (): void => { upstreamSocket.destroy(); client.destroy(); };
      upstreamSocket.on('error', closeBoth);
      client.on('error', closeBoth);
      upstreamSocket.on('close', () => client.end());
      client.on('close', () => upstreamSocket.destroy());
      settle(response.statusCode ?? 101);
    });
    upstreamRequest.on('response', (response: IncomingMessage) => {
      // Handshake refused: relay the answer as it is and close.
      client.write(head(response.statusCode ?? 502, response.statusMessage ?? '', response.rawHeaders.filter((_, i, all) => {
        const name = i % 2 === 0 ? all[i]! : all[i - 1]!;
        return name.toLowerCase() !== 'connection';
      })));
      response.pipe(client);
      response.on('end', () => client.end());
      settle(response.statusCode ?? 502);
    });
    upstreamRequest.on('error', () => {
      if (!settled) badGateway(client);
      settle(502);
    });
    upstreamRequest.end();
  });
}
