/** GET a JSON document with undici (discovery, JWKS): bounded time and size. */
import { request } from 'undici';

export class OidcFetchError extends Error {}

export async function getJson(url: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
  let response;
  try {
    response = await request(url, {
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      headers: { accept: 'application/json' },
    });
  } catch (err) {
    throw new OidcFetchError(`GET ${url} failed: ${(err as Error).message}`);
  }
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new OidcFetchError(`GET ${url} answered ${response.statusCode}`);
  if (text.length > 1_000_000) throw new OidcFetchError(`GET ${url}: document too large`);
  try {
    const json = JSON.parse(text) as unknown;
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('not an object');
    return json as Record<string, unknown>;
  } catch (err) {
    throw new OidcFetchError(`GET ${url}: invalid JSON (${(err as Error).message})`);
  }
}
