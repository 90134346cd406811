/**
 * Request head limits of the proxy listeners. Default (spec README request
 * limits): request line > 8 KiB ⇒ 414, headers > 32 KiB ⇒ 431.
 * APICAST_LARGE_CLIENT_HEADER_BUFFERS (`<number> <size>`, nginx's
 * large_client_header_buffers) replaces them with nginx's rules: the
 * request line must fit one buffer (else 414), each header line one buffer
 * (else 400, nginx's "Request Header Or Cookie Too Large"), all headers the
 * buffers together (else 431, as our default).
 */
import type { Settings } from '../settings.js';

export interface HeaderLimits {
  readonly requestLine: number;
  readonly headers: number;
  /** Undefined: no per-line limit (the default). */
  readonly headerLine: number | undefined;
  /** Node's parser limit covers request line + headers: leave room for both so our own checks decide. */
  readonly parser: number;
}

const DEFAULT_REQUEST_LINE = 8 * 1024;
const DEFAULT_HEADERS = 32 * 1024;

export function headerLimits(settings: Pick<Settings, 'largeClientHeaderBuffers'>): HeaderLimits {
  const buffers = settings.largeClientHeaderBuffers;
  const requestLine = buffers?.size ?? DEFAULT_REQUEST_LINE;
  const headers = buffers ? buffers.size * buffers.count : DEFAULT_HEADERS;
  return { requestLine, headers, headerLine: buffers?.size, parser: requestLine + headers + 1024 };
}

/** Status for a request head over the limits, or undefined. `raw`: rawHeaders (name, value, …). */
export function headOverLimit(limits: HeaderLimits, requestLineLength: number, raw: readonly string[]): 400 | 414 | 431 | undefined {
  if (requestLineLength > limits.requestLine) return 414;
  let total = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const line = raw[i].length + raw[i + 1].length + 4;
    if (limits.headerLine !== undefined && line > limits.headerLine) return 400;
    total += line;
  }
  return total > limits.headers ? 431 : undefined;
}
