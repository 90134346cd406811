/**
 * Client body timeout (nginx `client_body_timeout`, 60 s by default): while
 * a request body is still arriving, a pause longer than this between two
 * reads ends the request with 408 and closes the connection, so a client that
 * stalls mid-body cannot hold a connection (and an upstream request) forever.
 * The listener's headersTimeout covers the headers; this covers the body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultErrorPage } from './error-page.js';

export const CLIENT_BODY_TIMEOUT_MS = 60_000;

/** Arms the timer when the request has a body not yet fully read; disarmed when the body ends. */
export function guardBodyTimeout(incoming: IncomingMessage, res: ServerResponse, onTimeout: () => void, ms = CLIENT_BODY_TIMEOUT_MS): void {
  if (incoming.complete || incoming.httpVersionMajor !== 1) return;
  const declared = incoming.headers['content-length'];
  if (incoming.headers['transfer-encoding'] === undefined && (declared === undefined || declared === '0')) return;
  // The socket timeout measures inactivity: nothing read (and nothing written: no answer started yet).
  incoming.setTimeout(ms, () => {
    onTimeout();
    if (!res.headersSent) {
      const body = defaultErrorPage(408);
      res.writeHead(408, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
      res.end(body);
    }
    incoming.socket.destroySoon();
  });
  // Once the body is in, the connection's own timers (keep-alive) take over again.
  incoming.once('end', () => {
    if (!res.writableFinished) incoming.setTimeout(0);
  });
}
