/**
 * The Access-Control-* headers of the cors policy (policies.md §5.8), as a
 * pure function of the configuration and the request headers.
 */

import type { CorsConfig } from './config.generated.js';

/** The policy's configuration, as its manifest declares it. */
export type CorsConfiguration = CorsConfig;

/** How the configured allow_origin is used, decided once at load. */
export type OriginRule = { kind: 'echo' } | { kind: 'literal'; value: string } | { kind: 'regex'; regex: RegExp };

export function compileOriginRule(allowOrigin: string | undefined): OriginRule {
  if (!allowOrigin) return { kind: 'echo' };
  if (allowOrigin === '*' || (/^https?:\/\/[^\s]+$/i.test(allowOrigin) && isUrl(allowOrigin)))
    return { kind: 'literal', value: allowOrigin };
  // Throws SyntaxError for a pattern JavaScript rejects; the caller names the field.
  return { kind: 'regex', regex: new RegExp(allowOrigin) };
}

function isUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

export interface CorsRequest {
  origin: string | undefined;
  requestMethod: string | undefined;
  requestHeaders: string | undefined;
}

/** Headers to add to the response; empty when the request has no Origin. */
export function corsHeaders(config: CorsConfiguration, origin: OriginRule, request: CorsRequest): [string, string][] {
  if (request.origin === undefined) return [];
  const headers: [string, string][] = [];
  const allowHeaders = config.allow_headers ? config.allow_headers.join(', ') : request.requestHeaders;
  if (allowHeaders) headers.push(['Access-Control-Allow-Headers', allowHeaders]);
  const allowMethods = config.allow_methods ? config.allow_methods.join(', ') : request.requestMethod;
  if (allowMethods) headers.push(['Access-Control-Allow-Methods', allowMethods]);
  const allowOrigin = resolveOrigin(origin, request.origin);
  if (allowOrigin !== undefined) headers.push(['Access-Control-Allow-Origin', allowOrigin]);
  headers.push(['Access-Control-Allow-Credentials', String(config.allow_credentials ?? true)]);
  headers.push(['Access-Control-Max-Age', String(config.max_age ?? 600)]);
  return headers;
}

function resolveOrigin(rule: OriginRule, requestOrigin: string): string | undefined {
  switch (rule.kind) {
    case 'echo':
      return requestOrigin;
    case 'literal':
      return rule.value;
    case 'regex':
      return rule.regex.test(requestOrigin) ? requestOrigin : undefined;
  }
}

export function isPreflight(method: string, request: CorsRequest): boolean {
  return method === 'OPTIONS' && request.origin !== undefined && request.requestMethod !== undefined;
}
