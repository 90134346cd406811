/**
 * RFC 7662 introspection call (policies.md §5.32) with undici:
 * `POST <url>` form `token=<t>&token_type_hint=access_token`, the client
 * authenticated by Basic credentials or by an RFC 7523 client assertion.
 * `answer` is the decoded 200 JSON (cacheable), undefined on transport
 * errors, non-200 and invalid JSON (never cached, inactive).
 */
import { request } from 'undici';
import { ASSERTION_TYPE, type AssertionSigner } from './client-assertion.js';

export interface IntrospectionEndpoint {
  url: string;
  clientId: string;
  /** Basic auth (client_id+client_secret, the OIDC issuer's credentials). */
  clientSecret?: string;
  /** client_secret_jwt / private_key_jwt: a signed assertion in the form instead. */
  assertion?: AssertionSigner;
}

async function authentication(endpoint: IntrospectionEndpoint): Promise<{ headers: Record<string, string>; form: Record<string, string> }> {
  if (endpoint.assertion) {
    return {
      headers: {},
      form: { client_id: endpoint.clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: await endpoint.assertion() },
    };
  }
  const basic = Buffer.from(`${endpoint.clientId}:${endpoint.clientSecret ?? ''}`).toString('base64');
  return { headers: { authorization: `Basic ${basic}` }, form: {} };
}

export async function introspect(endpoint: IntrospectionEndpoint, token: string): Promise<Record<string, unknown> | undefined> {
  try {
    const auth = await authentication(endpoint);
    const response = await request(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...auth.headers },
      body: new URLSearchParams({ token, token_type_hint: 'access_token', ...auth.form }).toString(),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) return undefined;
    const json = JSON.parse(text) as unknown;
    return json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Cache TTL in seconds: exp − now capped by maxTtl, or maxTtl without exp; undefined ⇒ not cached. */
export function cacheTtl(answer: Record<string, unknown>, maxTtl: number | undefined, nowSeconds: number): number | undefined {
  const exp = answer['exp'];
  if (typeof exp === 'number') {
    const ttl = exp - nowSeconds;
    const capped = maxTtl === undefined ? ttl : Math.min(ttl, maxTtl);
    return capped > 0 ? capped : undefined;
  }
  return maxTtl;
}
