/** The TLS socket of a request an HTTPS server received: Node types `req.socket` as a plain Socket. */
import type { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';

export function tlsSocketOf(req: IncomingMessage): TLSSocket {
  const socket = req.socket;
  if (!(socket instanceof TLSSocket)) throw new Error('the request did not arrive over TLS');
  return socket;
}
