/**
 * What every proxy listener shares, plain or TLS, main or declared by a
 * policy (gateway.md §0): the request handler and the request limits.
 * gateway.ts and the worker build their listeners from here, so the limits
 * and the handler exist once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2SecureServer } from 'node:http2';
import type { Settings } from '../settings.js';
import { createHttpsListener, type HttpsListenerOptions } from '../net/https-listener.js';
import { defaultErrorPage } from './error-page.js';
import { handleRequest, type RequestHandlerDeps } from './handle.js';
import { listenerNames } from './request.js';
import { headerLimits, headOverLimit } from './header-limits.js';

/** Request line above this ⇒ 414; headers above MAX_HEADERS ⇒ 431 (spec README request limits). */
export const MAX_REQUEST_LINE = 8 * 1024;
export const MAX_HEADERS = 32 * 1024;
/** Node's parser limit covers request line + headers; leave room for both so our own checks decide. */
export const PARSER_LIMIT = MAX_REQUEST_LINE + MAX_HEADERS + 1024;

export type RequestHandler = (incoming: IncomingMessage, res: ServerResponse) => void;

export function plainError(res: ServerResponse, status: number): void {
  const body = defaultErrorPage(status);
  res.writeHead(status, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}

/**
 * The proxy's request handler: limits, the health endpoint, then the chains.
 * `listenerName` tags the requests of a declared listener (declared-listeners.ts).
 */
export function createRequestHandler(deps: RequestHandlerDeps, listenerName?: string): RequestHandler {
  const keepAlive = deps.settings.keepaliveTimeout;
  // Defaults MAX_REQUEST_LINE / MAX_HEADERS, or APICAST_LARGE_CLIENT_HEADER_BUFFERS (header-limits.ts).
  const limits = headerLimits(deps.settings);
  return (incoming, res) => {
    const url = incoming.url ?? '/';
    const over = headOverLimit(limits, url.length + (incoming.method ?? '').length + 10, incoming.rawHeaders);
    if (over !== undefined) {
      plainError(res, over);
      return;
    }
    if (keepAlive <= 0) res.shouldKeepAlive = false;
    if (listenerName !== undefined) listenerNames.set(incoming, listenerName);
    if (url === '/_threescale/healthz' && incoming.method === 'GET') {
      res.writeHead(200, { 'Content-Length': 0 });
      res.end();
      return;
    }
    handleRequest(incoming, res, deps).catch((error: unknown) => {
      deps.log.error({ err: error }, 'request handling failed');
      if (!res.headersSent) plainError(res, 500);
      else res.destroy();
    });
  };
}

export type ProxyTlsOptions = Pick<HttpsListenerOptions, 'certificateFile' | 'keyFile' | 'versions' | 'ciphers' | 'SNICallback'>;

/** An HTTPS (HTTP/1.1 + HTTP/2) proxy listener with the gateway's limits, keep-alive and verify depth. */
export function createProxyTlsListener(settings: Settings, handler: RequestHandler, tls: ProxyTlsOptions): Http2SecureServer {
  return createHttpsListener(
    {
      ...tls,
      verifyDepth: settings.httpsVerifyDepth,
      keepAliveTimeoutSeconds: settings.keepaliveTimeout,
      maxHeaderSize: headerLimits(settings).parser,
      requestClientCertificate: settings.httpsVerifyClient !== 'off',
    },
    handler,
  );
}
