/**
 * Sends the response of a request, whoever produced it (exit, upstream):
 * header_filter → status line and headers → body (through body_filter) →
 * end. Streams: an upstream body is written chunk by chunk with back-pressure.
 */
import type { ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { PhaseRunner } from '../chain/phase-runner.js';
import type { RequestContext } from '../chain/request-context.js';
import { defaultErrorPage } from './error-page.js';

/** Headers a proxy must not relay (hop-by-hop, RFC 9110 §7.6.1) plus those Node computes itself. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

export function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name.toLowerCase());
}

export type ResponseBody = Buffer | AsyncIterable<Buffer> | undefined;

/** The response of an exit decision: its body, or the default page for errors, or empty. */
export function exitBody(status: number, body: string | Buffer | undefined): { body: Buffer; html: boolean } {
  if (body !== undefined) return { body: typeof body === 'string' ? Buffer.from(body) : body, html: false };
  if (status >= 400) return { body: Buffer.from(defaultErrorPage(status)), html: true };
  return { body: Buffer.alloc(0), html: false };
}

export async function sendResponse(ctx: RequestContext, res: ServerResponse, chain: PhaseRunner, body: ResponseBody): Promise<void> {
  for (const [name, value] of ctx.extraResponseHeaders) ctx.response.headers.append(name, value);
  await chain.runAll('header_filter', ctx);
  const filtering = chain.uses('body_filter');
  // A buffered body gets its length computed below; a streamed one keeps its length unless a policy declared a change.
  if (filtering && ctx.response.bodyRewritten) ctx.response.headers.delete('content-length');
  // A call, not the property: the client can go away while a policy or the body source is awaited.
  const clientGone = (): boolean => res.destroyed;
  if (ctx.aborted || clientGone()) return;

  res.statusCode = ctx.response.status;
  for (const [name, values] of ctx.response.headers) res.setHeader(name, values.length === 1 ? values[0] : values);
  const response = ctx.response as { headersSent: boolean; bytesSent: number };
  const isHead = ctx.request.method === 'HEAD';
  const bodyless = isHead || ctx.response.status === 204 || ctx.response.status === 304;

  const write = async (chunk: Buffer): Promise<void> => {
    if (chunk.length === 0 || bodyless) return;
    response.bytesSent += chunk.length;
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  };

  if (body === undefined || Buffer.isBuffer(body)) {
    let buffer = body ?? Buffer.alloc(0);
    if (filtering) buffer = chain.filterBody(ctx, buffer, true);
    // 204/304 carry no Content-Length; HEAD keeps the length of the body it would have had.
    if (ctx.response.status === 204 || ctx.response.status === 304) res.removeHeader('Content-Length');
    else if (!(isHead && res.hasHeader('content-length'))) res.setHeader('Content-Length', buffer.length);
    response.headersSent = true;
    if (!bodyless && buffer.length > 0) response.bytesSent += buffer.length;
    res.end(bodyless ? undefined : buffer);
    return;
  }

  response.headersSent = true;
  for await (const chunk of body) {
    if (clientGone()) return;
    await write(filtering ? chain.filterBody(ctx, chunk, false) : chunk);
  }
  if (filtering) await write(chain.filterBody(ctx, Buffer.alloc(0), true));
  res.end();
}
