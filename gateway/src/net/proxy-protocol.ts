/**
 * PROXY protocol on the traffic listeners (APICAST_HTTP_PROXY_PROTOCOL /
 * APICAST_HTTPS_PROXY_PROTOCOL, gateway.md §1): a load balancer prefixes each
 * connection with the original client's address, as the v1 text line
 * `PROXY TCP4 <src> <dst> <sport> <dport>\r\n` or the v2 binary header. The
 * header is read before HTTP (or TLS) sees a byte; a connection without a
 * valid header is closed, as nginx's `listen … proxy_protocol` does.
 * The source address is what `GatewayRequest.proxyProtocolAddress` returns.
 */
import type { Server } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import type { Socket } from 'node:net';

export interface ProxyAddress {
  address: string;
  port: number;
}

export type ProxyHeader =
  | { kind: 'incomplete' }
  | { kind: 'invalid'; reason: string }
  /** `source` is absent for `PROXY UNKNOWN` / v2 LOCAL (health checks of the balancer itself). */
  | { kind: 'ok'; length: number; source: ProxyAddress | undefined };

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_MAX = 107;
const HEADER_TIMEOUT_MS = 5000;

function parseV1(data: Buffer): ProxyHeader {
  const end = data.indexOf('\r\n');
  if (end < 0) return data.length >= V1_MAX ? { kind: 'invalid', reason: 'v1 line longer than 107 bytes' } : { kind: 'incomplete' };
  const parts = data.subarray(0, end).toString('latin1').split(' ');
  const length = end + 2;
  if (parts[1] === 'UNKNOWN') return { kind: 'ok', length, source: undefined };
  if (parts.length !== 6 || (parts[1] !== 'TCP4' && parts[1] !== 'TCP6')) return { kind: 'invalid', reason: 'malformed v1 line' };
  const port = Number(parts[4]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return { kind: 'invalid', reason: 'bad v1 source port' };
  return { kind: 'ok', length, source: { address: parts[2], port } };
}

function ipv6(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

function parseV2(data: Buffer): ProxyHeader {
  if (data.length < 16) return { kind: 'incomplete' };
  const versionCommand = data[12];
  if (versionCommand >> 4 !== 2) return { kind: 'invalid', reason: 'unsupported v2 version' };
  const length = 16 + data.readUInt16BE(14);
  if (data.length < length) return { kind: 'incomplete' };
  if ((versionCommand & 0x0f) === 0) return { kind: 'ok', length, source: undefined }; // LOCAL
  const family = data[13] >> 4;
  if (family === 1 && length >= 16 + 12) {
    const a = data.subarray(16, 20);
    return { kind: 'ok', length, source: { address: `${a[0]}.${a[1]}.${a[2]}.${a[3]}`, port: data.readUInt16BE(24) } };
  }
  if (family === 2 && length >= 16 + 36)
    return { kind: 'ok', length, source: { address: ipv6(data.subarray(16, 32)), port: data.readUInt16BE(48) } };
  return { kind: 'ok', length, source: undefined }; // unix sockets or unspecified: no IP to report
}

/** Pure: what the first bytes of a connection hold. */
export function parseProxyHeader(data: Buffer): ProxyHeader {
  const probe = Math.min(data.length, V2_SIGNATURE.length);
  if (data.subarray(0, probe).equals(V2_SIGNATURE.subarray(0, probe))) {
    return data.length < V2_SIGNATURE.length ? { kind: 'incomplete' } : parseV2(data);
  }
  const v1 = 'PROXY ';
  const head = data.subarray(0, Math.min(data.length, v1.length)).toString('latin1');
  if (!v1.startsWith(head)) return { kind: 'invalid', reason: 'no PROXY protocol header' };
  return data.length < v1.length ? { kind: 'incomplete' } : parseV1(data);
}

const addresses = new WeakMap<object, ProxyAddress>();

/** The PROXY source of the connection `socket` belongs to (also through TLS / HTTP/2 wrappers). */
export function proxyProtocolAddressOf(socket: object | undefined): ProxyAddress | undefined {
  let current = socket as { _parent?: object } | undefined;
  for (let depth = 0; current && depth < 3; depth++) {
    const found = addresses.get(current);
    if (found) return found;
    current = current._parent;
  }
  return undefined;
}

/**
 * Makes `server` expect a PROXY header on every connection: its own
 * connection listeners (HTTP parser, TLS) only get the socket once the header
 * is consumed, with the bytes after it put back.
 */
export function requireProxyProtocol(server: Server, onInvalid: (reason: string) => void): void {
  const listeners = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    let buffered: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), HEADER_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      const header = parseProxyHeader(buffered);
      if (header.kind === 'incomplete') return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (header.kind === 'invalid') {
        onInvalid(header.reason);
        socket.destroy();
        return;
      }
      socket.pause();
      // A TLS socket built on this one keeps it as _parent (see proxyProtocolAddressOf).
      if (header.source) addresses.set(socket, header.source);
      const rest = buffered.subarray(header.length);
      if (rest.length > 0) socket.unshift(rest);
      for (const listener of listeners) listener.call(server, socket);
      // node:http reads on from the paused socket only once resumed; TLS took the handle over
      // (and the unshifted bytes with it), so its raw socket must stay paused.
      if (!(server instanceof TlsServer)) socket.resume();
    };
    const onClose = (): void => {
      clearTimeout(timer);
    };
    socket.on('data', onData);
    socket.on('close', onClose);
  });
}
