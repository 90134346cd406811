/**
 * A real WebSocket upstream and client for tests, speaking RFC 6455 over
 * node:http (handshake with Sec-WebSocket-Accept, masked client frames,
 * text frames up to 64 KiB). The server echoes each text message prefixed
 * with "echo: " and records the handshake headers it received.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function acceptKey(key: string): string {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

export function encodeTextFrame(text: string, mask: boolean): Buffer {
  const payload = Buffer.from(text);
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x81, (mask ? 0x80 : 0) | length])
      : Buffer.from([0x81, (mask ? 0x80 : 0) | 126, length >> 8, length & 0xff]);
  if (!mask) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]));
  return Buffer.concat([header, key, masked]);
}

/** Reads complete text frames from a byte stream. */
export class FrameReader {
  private buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const messages: string[] = [];
    for (;;) {
      if (this.buffer.length < 2) return messages;
      const masked = (this.buffer[1] & 0x80) !== 0;
      let length = this.buffer[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return messages;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      }
      const maskKey = masked ? this.buffer.subarray(offset, offset + 4) : undefined;
      if (masked) offset += 4;
      if (this.buffer.length < offset + length) return messages;
      const payload = Buffer.from(this.buffer.subarray(offset, offset + length));
      if (maskKey) for (let i = 0; i < payload.length; i++) payload[i] = payload[i] ^ maskKey[i % 4];
      messages.push(payload.toString());
      this.buffer = this.buffer.subarray(offset + length);
    }
  }
}

export interface WebSocketUpstream {
  url: string;
  port: number;
  handshakes: IncomingHttpHeaders[];
  close(): Promise<void>;
}

export async function startWebSocketUpstream(): Promise<WebSocketUpstream> {
  const handshakes: IncomingHttpHeaders[] = [];
  const sockets = new Set<Duplex>();
  const server: Server = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain' });
    res.end('websocket only');
  });
  server.on('upgrade', (req, socket) => {
    handshakes.push(req.headers);
    sockets.add(socket);
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string' || req.headers.upgrade?.toLowerCase() !== 'websocket') {
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
    );
    const reader = new FrameReader();
    socket.on('data', (chunk: Buffer) => {
      for (const message of reader.push(chunk)) socket.write(encodeTextFrame(`echo: ${message}`, false));
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    handshakes,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export interface WebSocketClient {
  status: number;
  headers: IncomingHttpHeaders;
  /** Sends a text message and resolves with the next one received. */
  exchange(text: string): Promise<string>;
  close(): void;
}

/** Opens a WebSocket through `url` (http://host:port/path); rejects with the status when the handshake is refused. */
export function connectWebSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocketClient> {
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13', ...headers },
    });
    req.on('response', (res) => {
      res.resume();
      reject(new Error(`handshake refused with ${res.statusCode}`));
    });
    req.on('upgrade', (res, socket: Socket, head: Buffer) => {
      if (res.headers['sec-websocket-accept'] !== acceptKey(key)) {
        socket.destroy();
        reject(new Error('bad Sec-WebSocket-Accept'));
        return;
      }
      const reader = new FrameReader();
      const pending: string[] = [];
      const waiters: ((message: string) => void)[] = [];
      const deliver = (messages: string[]) => {
        for (const message of messages) {
          const waiter = waiters.shift();
          if (waiter) waiter(message);
          else pending.push(message);
        }
      };
      deliver(reader.push(head));
      socket.on('data', (chunk: Buffer) => {
        deliver(reader.push(chunk));
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        exchange(text) {
          socket.write(encodeTextFrame(text, true));
          const queued = pending.shift();
          return queued !== undefined ? Promise.resolve(queued) : new Promise((r) => waiters.push(r));
        },
        close() {
          socket.destroy();
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}
