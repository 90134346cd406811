/**
 * One GET against the portal (or the mapping-service), with the endpoint's
 * Basic credentials and the gateway's User-Agent, through the outbound
 * dispatcher (proxy / DNS selection happens there). Answers status and text;
 * transport failures become status 0 with the error message, so the callers
 * (pure decision code) never deal with exceptions.
 */
import { request, type Dispatcher } from 'undici';

export interface HttpGetOptions {
  authorization?: string | undefined;
  userAgent: string;
  /** Picks the dispatcher for a URL (proxy env vars, DNS resolver); the global one when absent. */
  dispatcherFor?: ((url: string) => Dispatcher | undefined) | undefined;
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  body: string;
  /** The Content-Type header of the answer (OIDC discovery requires JSON, gateway.md §2.5). */
  contentType?: string;
  /** Transport failure reason when status is 0. */
  error?: string;
}

export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpAnswer> {
  const headers: Record<string, string> = { 'user-agent': options.userAgent, accept: 'application/json' };
  if (options.authorization) headers.authorization = options.authorization;
  try {
    const response = await request(url, {
      method: 'GET',
      headers,
      dispatcher: options.dispatcherFor?.(url),
      // One deadline for the whole exchange; undici's own timers are coarse.
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const body = await response.body.text();
    const contentType = response.headers['content-type'];
    return { status: response.statusCode, body, ...(typeof contentType === 'string' ? { contentType } : {}) };
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `timeout after ${options.timeoutMs} ms` : (error as Error).message;
    return { status: 0, body: '', error: reason };
  }
}

/** `invalid status: 403 (Forbidden)` as the original words it (gateway.md §2.2 C.1). */
export function describeStatus(answer: HttpAnswer): string {
  if (answer.status === 0) return `connection failed: ${answer.error ?? 'unknown error'}`;
  const names: Record<number, string> = {
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
  };
  const name = names[answer.status];
  return `invalid status: ${answer.status}${name ? ` (${name})` : ''}`;
}
