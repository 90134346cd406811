/**
 * The HTTPS proxy listener (gateway.md §0, §1.7): APICAST_HTTPS_PORT, the
 * certificate from APICAST_HTTPS_CERTIFICATE / _KEY or the bundled
 * self-signed one (the original's conf/server.crt), TLS 1.2 and 1.3, client
 * certificates requested but not verified (policies inspect them), HTTP/1.1
 * over TLS with the same request handling as the plain listener.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

const DEFAULT_CERT = fileURLToPath(new URL('./default-certificate/server-cert.pem', import.meta.url));
const DEFAULT_KEY = fileURLToPath(new URL('./default-certificate/server-key.pem', import.meta.url));

export interface HttpsListenerOptions {
  certificateFile: string | undefined;
  keyFile: string | undefined;
  /** APICAST_HTTPS_VERIFY_DEPTH (informational: certificates are not verified here). */
  verifyDepth: number;
  keepAliveTimeoutSeconds: number;
  maxHeaderSize: number;
}

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
): Server {
  if ((options.certificateFile === undefined) !== (options.keyFile === undefined)) {
    throw new HttpsConfigurationError('APICAST_HTTPS_CERTIFICATE and APICAST_HTTPS_CERTIFICATE_KEY must be set together');
  }
  const cert = readPem(options.certificateFile ?? DEFAULT_CERT, 'APICAST_HTTPS_CERTIFICATE');
  const key = readPem(options.keyFile ?? DEFAULT_KEY, 'APICAST_HTTPS_CERTIFICATE_KEY');
  const server = createServer({
    cert, key,
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.3',
    // optional_no_ca: ask for a client certificate, accept any (or none).
    requestCert: true,
    rejectUnauthorized: false,
    ALPNProtocols: ['http/1.1'],
    maxHeaderSize: options.maxHeaderSize,
    keepAliveTimeout: options.keepAliveTimeoutSeconds > 0 ? options.keepAliveTimeoutSeconds * 1000 : 0,
    requestTimeout: 0,
  }, onRequest);
  return server;
}
