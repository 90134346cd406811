/** Small HTTP client for tests: undici request with a chosen Host header, body read as text. */
import { request } from 'undici';

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body bytes as received. */
  raw: Buffer;
}

export interface TestRequestOptions {
  host?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export async function send(baseUrl: string, path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.host) headers.host = options.host;
  const response = await request(`${baseUrl}${path}`, {
    method: (options.method ?? 'GET') as 'GET',
    headers,
    body: options.body ?? null,
  });
  const raw = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, headers: response.headers, body: raw.toString('utf8'), raw };
}
