/**
 * The limit data of a backend answer (policies.md §5.24) and its storage
 * form `limit#remaining#reset_epoch`.
 */
import type { BackendResponse } from '../../src/backend/client.js';

export interface LimitInfo {
  limit: number;
  remaining: number;
  /** Epoch seconds of the reset. */
  resetAt: number;
}

function header(response: BackendResponse, name: string): number {
  const value = response.headers[name.toLowerCase()] ?? response.headers[name];
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isFinite(n) ? n : 0;
}

/** Missing headers count as 0. */
export function limitInfoOf(response: BackendResponse, nowSeconds: number): LimitInfo {
  return {
    limit: header(response, '3scale-Limit-Max-Value'),
    remaining: header(response, '3scale-Limit-Remaining'),
    resetAt: nowSeconds + header(response, '3scale-Limit-Reset'),
  };
}

export function encodeLimitInfo(info: LimitInfo): string {
  return `${info.limit}#${info.remaining}#${info.resetAt}`;
}

export function decodeLimitInfo(text: string): LimitInfo | undefined {
  const [limit, remaining, resetAt] = text.split('#').map(Number);
  if (![limit, remaining, resetAt].every((n) => Number.isFinite(n))) return undefined;
  return { limit: limit, remaining: remaining, resetAt: resetAt };
}

/** Response headers; none when the reset is not in the future. */
export function rateLimitHeaders(info: LimitInfo, nowSeconds: number): [string, string][] {
  const reset = Math.ceil(info.resetAt - nowSeconds);
  if (reset <= 0) return [];
  return [
    ['RateLimit-Limit', String(Math.max(info.limit, 0))],
    ['RateLimit-Remaining', String(Math.max(info.remaining, 0))],
    ['RateLimit-Reset', String(reset)],
  ];
}
