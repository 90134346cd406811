/**
 * One small HTTP exchange through an undici dispatcher with a plain handler
 * (no body stream, no extra promise per chunk): the backend answers are tiny
 * and every proxied cache hit makes one, so this path is kept lean. Uses the
 * handler contract undici 7's core client checks (onConnect/onHeaders/…).
 */
import type { Dispatcher } from 'undici';

export interface SmallResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw header pairs (Buffers) → lower-cased object; repeated names become arrays. */
function headerObject(raw: Buffer[]): Record<string, string | string[] | undefined> {
  const headers: Record<string, string | string[] | undefined> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toString('latin1').toLowerCase();
    const value = raw[i + 1].toString('latin1');
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else headers[name] = [existing, value];
  }
  return headers;
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** The connection broke before any response byte: typically a reused keep-alive connection the server had just closed. */
export function isResetBeforeResponse(error: unknown): boolean {
  const e = error as { code?: string; beforeResponse?: boolean };
  return e.beforeResponse === true && e.code !== undefined && RESET_CODES.has(e.code);
}

export function exchange(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): Promise<SmallResponse> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    const chunks: Buffer[] = [];
    const handler = {
      onConnect() {},
      onHeaders(statusCode: number, rawHeaders: Buffer[]) {
        status = statusCode;
        headers = headerObject(rawHeaders);
        return true;
      },
      onData(chunk: Buffer) {
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        resolve({ status, headers, body: chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8') });
      },
      // Marked so callers know the backend answered nothing (safe to retry an idempotent call).
      onError(error: Error) {
        reject(Object.assign(error, { beforeResponse: status === 0 }));
      },
    };
    // undici 7 types describe the newer handler shape; its core client still requires this one.
    dispatcher.dispatch(options, handler);
  });
}
