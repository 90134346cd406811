/**
 * The HTTPS proxy listener (gateway.md §0, §1.7): APICAST_HTTPS_PORT, the
 * certificate from APICAST_HTTPS_CERTIFICATE / _KEY or the bundled
 * self-signed one (the original's conf/server.crt), TLS 1.2 and 1.3, client
 * certificates requested but not verified (policies inspect them), HTTP/2
 * negotiated by ALPN with HTTP/1.1 kept for other clients, and the same
 * request handling as the plain listener (Node's HTTP/2 compatibility API
 * hands the handler request/response objects of the HTTP/1 shape).
 */
import { readFileSync } from 'node:fs';
import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from 'node:http2';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

const DEFAULT_CERT = fileURLToPath(new URL('./default-certificate/server-cert.pem', import.meta.url));
const DEFAULT_KEY = fileURLToPath(new URL('./default-certificate/server-key.pem', import.meta.url));

export interface HttpsListenerOptions {
  certificateFile: string | undefined;
  keyFile: string | undefined;
  /** APICAST_HTTPS_VERIFY_DEPTH (informational here: the tls_validation policy verifies chains and enforces it). */
  verifyDepth: number;
  keepAliveTimeoutSeconds: number;
  maxHeaderSize: number;
  /** APICAST_HTTPS_VERIFY_CLIENT: false (`off`) ⇒ no client certificate is asked for. Default true. */
  requestClientCertificate?: boolean | undefined;
  /** Per-service certificates by SNI (./sni-certificates.ts). */
  SNICallback?:
    ((servername: string, callback: (error: Error | null, context?: import('node:tls').SecureContext) => void) => void) | undefined;
  /** Lowest and highest TLS versions accepted (default TLSv1.2 to TLSv1.3, as the original). */
  versions?: { min: TlsVersion; max: TlsVersion } | undefined;
  /** OpenSSL cipher list (TLS ≤ 1.2 suites), e.g. from a standalone listener's `tls.ciphers`. */
  ciphers?: string | undefined;
}

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
export const TLS_VERSIONS: readonly TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export class HttpsConfigurationError extends Error {}

function readPem(path: string, variable: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new HttpsConfigurationError(`${variable}: cannot read ${path}: ${(error as Error).message}`);
  }
}

export function createHttpsListener(
  options: HttpsListenerOptions,
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
): Http2SecureServer {
  if ((options.certificateFile === undefined) !== (options.keyFile === undefined)) {
    throw new HttpsConfigurationError('APICAST_HTTPS_CERTIFICATE and APICAST_HTTPS_CERTIFICATE_KEY must be set together');
  }
  const cert = readPem(options.certificateFile ?? DEFAULT_CERT, 'APICAST_HTTPS_CERTIFICATE');
  const key = readPem(options.keyFile ?? DEFAULT_KEY, 'APICAST_HTTPS_CERTIFICATE_KEY');
  const server = createSecureServer(
    {
      cert,
      key,
      allowHTTP1: true,
      minVersion: options.versions?.min ?? 'TLSv1.2',
      maxVersion: options.versions?.max ?? 'TLSv1.3',
      ...(options.ciphers ? { ciphers: options.ciphers } : {}),
      // optional_no_ca (default): ask for a client certificate, accept any (or none); off: do not ask.
      requestCert: options.requestClientCertificate !== false,
      rejectUnauthorized: false,
      maxSessionMemory: 100,
      ...(options.SNICallback ? { SNICallback: options.SNICallback } : {}),
      settings: { maxHeaderListSize: options.maxHeaderSize },
    },
    ((req: IncomingMessage, res: ServerResponse) => {
      onRequest(asHttp1Shape(req), res);
    }) as unknown as Parameters<typeof createSecureServer>[1],
  );
  // HTTP/1.1 connections on this listener are parsed by node:http, which reads these from the server.
  Object.assign(server, {
    maxHeaderSize: options.maxHeaderSize,
    keepAliveTimeout: options.keepAliveTimeoutSeconds > 0 ? options.keepAliveTimeoutSeconds * 1000 : 0,
    requestTimeout: 0,
  });
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  openSessions.set(server, sessions);
  return server;
}

const openSessions = new WeakMap<object, Set<ServerHttp2Session>>();

/**
 * Drain (SIGQUIT) for HTTP/2 clients: GOAWAY on every session, which lets
 * streams in flight finish and then closes it; `server.close()` then
 * completes. HTTP/1.1 connections on the same listener are handled by the
 * caller's idle-connection sweep.
 */
/**
 * The HTTPS listener is an Http2SecureServer handed around as an http `Server`: it has neither
 * closeIdleConnections nor closeAllConnections (its HTTP/2 sessions close through closeHttp2Sessions).
 */
type ServerOfEitherKind = Partial<Pick<Server, 'closeIdleConnections' | 'closeAllConnections'>>;

/** `server.closeIdleConnections()` where the server has it (HTTP/1.1); nothing on the HTTP/2 listener. */
export function closeIdleConnections(server: ServerOfEitherKind): void {
  server.closeIdleConnections?.();
}

/** `server.closeAllConnections()` where the server has it (HTTP/1.1); nothing on the HTTP/2 listener. */
export function closeAllConnections(server: ServerOfEitherKind): void {
  server.closeAllConnections?.();
}

export function closeHttp2Sessions(server: object, immediately = false): void {
  for (const session of openSessions.get(server) ?? []) {
    if (immediately) session.destroy();
    else session.close();
  }
}

/**
 * HTTP/2 requests carry the host as `:authority` and pseudo-headers in
 * `rawHeaders`; the request path expects the HTTP/1 shape (a `host` header,
 * only real headers), which this gives it. HTTP/1.1 requests pass unchanged.
 */
function asHttp1Shape(req: IncomingMessage): IncomingMessage {
  if (req.httpVersionMajor !== 2) return req;
  const authority = req.headers[':authority'];
  if (req.headers.host === undefined && typeof authority === 'string') req.headers.host = authority;
  const raw = req.rawHeaders;
  const filtered: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (!raw[i].startsWith(':')) filtered.push(raw[i], raw[i + 1]);
  if (typeof authority === 'string' && !filtered.some((v, i) => i % 2 === 0 && v.toLowerCase() === 'host'))
    filtered.push('host', authority);
  Object.defineProperty(req, 'rawHeaders', { value: filtered, configurable: true });
  // The compatibility socket reads through the stream's session, which is gone once the
  // stream ends (access log, metrics): keep the addresses as they were at request start.
  const live = req.socket;
  const fixed: Record<string, unknown> = {
    remoteAddress: live.remoteAddress,
    remotePort: live.remotePort,
    localAddress: live.localAddress,
    localPort: live.localPort,
  };
  const socket = new Proxy(live, {
    get: (target, prop): unknown => (typeof prop === 'string' && prop in fixed ? fixed[prop] : Reflect.get(target, prop)),
  });
  Object.defineProperty(req, 'socket', { value: socket, configurable: true });
  return req;
}
