/**
 * Upgraded connections (websocket policy, gateway.md §4.9 "Connection …
 * Upgrade"): the request goes upstream with `Connection: Upgrade` and the
 * client's `Upgrade`; a 101 answer turns both sockets into one tunnel, any
 * other answer is relayed like a normal response.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { PhaseRunner } from '../chain/phase-runner.js';
import type { RequestContext } from '../chain/request-context.js';
import { isHopByHop, sendResponse } from '../http/respond.js';
import type { Upstream } from './upstream.js';
import { asError } from '../shared/errors.js';

export type TunnelOutcome = 'tunnel' | 'response' | { error: Error; timeout: boolean };

export interface TunnelRequest {
  upstream: Upstream;
  path: string;
  /** Flat [name, value, …] headers already prepared for the upstream (Host included). */
  headers: string[];
  hostHeader: string;
  verify: boolean;
  connectTimeoutMs: number;
  /** Through a forward proxy: the socket to speak on (a CONNECT tunnel, TLS inside for https upstreams). */
  connection?: () => Promise<Socket>;
}

/** Opens the upstream side; resolves once the client got a 101 (tunnel) or a relayed response. */
export async function tunnel(ctx: RequestContext, res: ServerResponse, chain: PhaseRunner, spec: TunnelRequest): Promise<TunnelOutcome> {
  const { upstream } = spec;
  const headers: string[] = [...spec.headers, 'Connection', 'Upgrade', 'Upgrade', ctx.request.headers.get('upgrade') ?? 'websocket'];
  let socket: Socket | undefined;
  if (spec.connection) {
    try {
      socket = await spec.connection();
    } catch (error) {
      return { error: error as Error, timeout: (error as NodeJS.ErrnoException).code === 'UND_ERR_CONNECT_TIMEOUT' };
    }
  }
  // A socket made through the proxy already speaks to the upstream (TLS included): plain HTTP on it.
  const send = upstream.scheme === 'https' && !socket ? httpsRequest : httpRequest;
  return new Promise<TunnelOutcome>((resolve) => {
    const outgoing = send({
      ...(socket ? { createConnection: () => socket } : {}),
      host: upstream.host,
      port: upstream.port,
      method: ctx.request.method,
      path: spec.path,
      headers,
      servername: spec.hostHeader.replace(/:\d+$/, ''),
      rejectUnauthorized: spec.verify,
      timeout: spec.connectTimeoutMs,
    });
    outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('upstream timed out'), { code: 'ETIMEDOUT' })));
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ error, timeout: error.code === 'ETIMEDOUT' });
    });
    outgoing.on('response', (answer: IncomingMessage) => {
      ctx.upstreamStatus = answer.statusCode;
      ctx.response.status = answer.statusCode ?? 502;
      for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2) {
        if (!isHopByHop(answer.rawHeaders[i])) ctx.response.headers.append(answer.rawHeaders[i], answer.rawHeaders[i + 1]);
      }
      sendResponse(ctx, res, chain, answer as AsyncIterable<Buffer>).then(
        () => {
          resolve('response');
        },
        (error: unknown) => {
          resolve({ error: asError(error), timeout: false });
        },
      );
    });
    outgoing.on('upgrade', (answer: IncomingMessage, upstreamSocket: Socket, head: Buffer) => {
      void (async () => {
        const client = res.socket;
        if (!client || client.destroyed) {
          upstreamSocket.destroy();
          resolve('tunnel');
          return;
        }
        ctx.upstreamStatus = answer.statusCode;
        ctx.response.status = answer.statusCode ?? 101;
        for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2)
          ctx.response.headers.append(answer.rawHeaders[i], answer.rawHeaders[i + 1]);
        for (const [name, value] of ctx.extraResponseHeaders) ctx.response.headers.append(name, value);
        await chain.runAll('header_filter', ctx);
        let text = `HTTP/1.1 ${ctx.response.status} ${answer.statusMessage ?? 'Switching Protocols'}\r\n`;
        for (const [name, values] of ctx.response.headers) for (const value of values) text += `${name}: ${value}\r\n`;
        // The ServerResponse never writes on this socket again: detach it and speak raw bytes.
        res.detachSocket(client);
        client.write(`${text}\r\n`);
        if (head.length > 0) client.write(head);
        upstreamSocket.pipe(client);
        client.pipe(upstreamSocket);
        // HTTP sockets allow half-open connections: a FIN from either side must end both.
        const close = (): void => {
          client.destroy();
          upstreamSocket.destroy();
        };
        client.on('end', close);
        upstreamSocket.on('end', close);
        client.on('error', close);
        upstreamSocket.on('error', close);
        client.on('close', close);
        upstreamSocket.on('close', close);
        (ctx.response as { headersSent: boolean }).headersSent = true;
        ctx.markFinished();
        resolve('tunnel');
      })();
    });
    ctx.request.upstreamBody().then(
      (body) => {
        if (body === undefined) outgoing.end();
        else if (Buffer.isBuffer(body)) outgoing.end(body);
        else body.pipe(outgoing);
      },
      (error: unknown) => outgoing.destroy(asError(error)),
    );
  });
}
