/**
 * nginx's stub_status numbers (gateway.md §7 `nginx_http_connections`) kept
 * for Node servers: connections accepted/handled/active, requests in total,
 * and how many connections are reading a request, writing a response or
 * idle (waiting). Attach every proxy listener; read at scrape time.
 */
import type { Server } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ConnectionSnapshot {
  accepted: number;
  active: number;
  handled: number;
  reading: number;
  total: number;
  waiting: number;
  writing: number;
}

export class ConnectionStats {
  private accepted = 0;
  private active = 0;
  private requests = 0;
  private writing = 0;

  /** Counts connections and requests of `server` (an http, https or http2 server). */
  attach(server: Server): void {
    server.on('connection', (socket: import('node:net').Socket) => {
      this.accepted += 1;
      this.active += 1;
      socket.once('close', () => {
        this.active -= 1;
      });
    });
    server.on('secureConnection', () => {
      /* counted on 'connection' already */
    });
    server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      this.requests += 1;
      this.writing += 1;
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          this.writing -= 1;
        }
      };
      res.once('finish', finish);
      res.once('close', finish);
    });
  }

  snapshot(): ConnectionSnapshot {
    const writing = Math.min(this.writing, this.active);
    return {
      accepted: this.accepted,
      handled: this.accepted,
      active: this.active,
      total: this.requests,
      // Node hands over a request once its headers are read: no connection is observably "reading".
      reading: 0,
      writing,
      waiting: Math.max(0, this.active - writing),
    };
  }
}
