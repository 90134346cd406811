/**
 * The proxy listener (gateway.md §0): request limits of the spec README
 * (request line > 8 KiB ⇒ 414, headers > 32 KiB ⇒ 431), malformed requests
 * ⇒ 400, `/_threescale/healthz` before any service lookup, then the chains.
 */
import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { defaultErrorPage } from './error-page.js';
import { handleRequest, type RequestHandlerDeps } from './handle.js';
import { listenerNames } from './request.js';
import { createRequestHandler } from './listeners.js';
import { headerLimits } from './header-limits.js';

export { MAX_HEADERS, MAX_REQUEST_LINE } from './listeners.js';

/** Answers a request the parser rejected, on the raw socket (no request object exists). */
function rejectRaw(socket: Socket, status: number): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = defaultErrorPage(status);
  const reason = { 400: 'Bad Request', 414: 'Request-URI Too Large', 431: 'Request Header Fields Too Large' }[status as 400 | 414 | 431];
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** `listenerName`: a declared listener's name (./declared-listeners.ts), put on each request it serves. */
export function createProxyServer(
  deps: RequestHandlerDeps,
  listenerName?: string,
  handler = createRequestHandler(deps, listenerName),
): Server {
  const keepAlive = deps.settings.keepaliveTimeout;
  const limits = headerLimits(deps.settings);
  const server = createServer(
    {
      maxHeaderSize: limits.parser,
      keepAliveTimeout: keepAlive > 0 ? keepAlive * 1000 : 0,
      requestTimeout: 0,
      headersTimeout: 60_000,
    },
    handler,
  );
  // Upgrade requests (websocket) go through the same chains with a response bound to the raw
  // socket; the proxy tunnels a 101, anything else is a normal answer that closes the connection.
  server.on('upgrade', (incoming: IncomingMessage, socket: Socket, head: Buffer) => {
    if (head.length > 0) socket.unshift(head);
    if (listenerName !== undefined) listenerNames.set(incoming, listenerName);
    const res = new ServerResponse(incoming);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.on('finish', () => socket.end());
    socket.on('error', () => socket.destroy());
    handleRequest(incoming, res, deps).catch((error: unknown) => {
      deps.log.error({ err: error }, 'upgrade request handling failed');
      socket.destroy();
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    if (error.code === 'HPE_HEADER_OVERFLOW') {
      const packet = error.rawPacket?.toString('latin1') ?? '';
      const lineEnd = packet.indexOf('\r\n');
      const lineLength = lineEnd < 0 ? packet.length : lineEnd;
      rejectRaw(socket, lineLength > limits.requestLine ? 414 : 431);
      return;
    }
    rejectRaw(socket, 400);
  });
  return server;
}
