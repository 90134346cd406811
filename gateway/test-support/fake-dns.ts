/**
 * A tiny authoritative DNS server on loopback UDP for the resolver tests:
 * answers A queries from a table (name → addresses, TTL), NXDOMAIN for
 * unknown names, can stop answering (to test stale answers), and records
 * every question it receives.
 */
import { createSocket, type Socket } from 'node:dgram';

export class FakeDns {
  readonly questions: string[] = [];
  readonly records = new Map<string, { addresses: string[]; ttl: number }>();
  /** When true, queries are swallowed (timeout on the client). */
  silent = false;
  private socket: Socket | undefined;

  private get bound(): Socket {
    if (!this.socket) throw new Error('fake DNS: not started');
    return this.socket;
  }

  get port(): number {
    return this.bound.address().port;
  }
  /** The RESOLVER value pointing here. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  set(name: string, addresses: string[], ttl = 60): void {
    this.records.set(name.toLowerCase(), { addresses, ttl });
  }

  async start(): Promise<this> {
    const socket = createSocket('udp4');
    this.socket = socket;
    socket.on('message', (message, remote) => {
      this.answer(message, remote.port, remote.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.socket?.close(() => {
        resolve();
      }),
    );
  }

  private answer(message: Buffer, port: number, address: string): void {
    if (message.length < 12) return;
    // Question name: labels from offset 12.
    const labels: string[] = [];
    let offset = 12;
    while (offset < message.length && message[offset] > 0) {
      const length = message[offset];
      labels.push(message.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += length + 1;
    }
    const questionEnd = offset + 5; // zero byte + type(2) + class(2)
    const type = message.readUInt16BE(offset + 1);
    const name = labels.join('.').toLowerCase();
    this.questions.push(name);
    if (this.silent) return;
    const record = type === 1 ? this.records.get(name) : undefined;
    const header = Buffer.alloc(12);
    message.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(0x8180 | (record || type !== 1 ? 0 : 3), 2); // response, RD+RA, NXDOMAIN when unknown
    header.writeUInt16BE(1, 4); // one question
    header.writeUInt16BE(record ? record.addresses.length : 0, 6);
    const ttl = record?.ttl ?? 0; // only read when there are addresses, i.e. a record
    const answers = (record?.addresses ?? []).map((ip) => {
      const rr = Buffer.alloc(16);
      rr.writeUInt16BE(0xc00c, 0); // pointer to the question name
      rr.writeUInt16BE(1, 2); // A
      rr.writeUInt16BE(1, 4); // IN
      rr.writeUInt32BE(ttl, 6);
      rr.writeUInt16BE(4, 10);
      ip.split('.').forEach((part, i) => rr.writeUInt8(Number(part), 12 + i));
      return rr;
    });
    this.bound.send(Buffer.concat([header, message.subarray(12, questionEnd), ...answers]), port, address);
  }
}

export async function startFakeDns(): Promise<FakeDns> {
  return new FakeDns().start();
}
