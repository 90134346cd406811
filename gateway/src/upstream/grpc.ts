/**
 * The gRPC upstream path (policies.md §5.12): when the grpc policy set
 * `upstream_location_name = '@grpc'`, the request goes to the upstream over
 * HTTP/2 with TLS (policies/grpc/http2-forward.ts) and the response, through
 * header_filter/body_filter like any other, ends with the upstream's
 * trailers (`grpc-status`, `grpc-message`) relayed to the client.
 */
import type { ServerResponse } from 'node:http';
import type { PhaseRunner } from '../chain/phase-runner.js';
import type { RequestContext } from '../chain/request-context.js';
import { isHopByHop, sendResponse } from '../http/respond.js';
import {
  forwardHttp2,
  type Http2ForwardRequest,
  type Http2ForwardResponse,
  type Http2Sessions,
} from '../../policies/grpc/http2-forward.js';
import { GRPC_LOCATION } from '../../policies/grpc/index.js';
import type { Upstream } from './upstream.js';

export function wantsGrpc(ctx: RequestContext): boolean {
  return ctx.shared.upstream_location_name === GRPC_LOCATION;
}

export interface GrpcAttempt {
  upstream: Upstream;
  target: string;
  /** Flat name, value, name, value… as for the HTTP/1 upstream (gateway-only headers are dropped by forwardHttp2). */
  headers: string[];
  tls: NonNullable<Http2ForwardRequest['tls']>;
  timeoutMs: number;
  /** The gateway's HTTP/2 sessions (owned by its runtime). */
  sessions: Http2Sessions;
  /** Through a forward proxy (see Http2ForwardRequest.connection). */
  connection?: Http2ForwardRequest['connection'];
}

/** Trailers only exist on responses that can carry them (HTTP/2, chunked HTTP/1.1). */
async function* bodyThenTrailers(response: Http2ForwardResponse, res: ServerResponse): AsyncIterable<Buffer> {
  for await (const chunk of response.body) yield chunk;
  const trailers = await response.trailers;
  if (Object.keys(trailers).length === 0) return;
  // An empty body (gRPC errors): the headers must go out before end(), or HTTP/2 ends the stream with them and the trailers are lost.
  if (!res.headersSent) res.flushHeaders();
  res.addTrailers(trailers);
}

/** Resolves 'done' once the response is sent, or the error when nothing reached the client (caller answers 502/504). */
export async function forwardGrpc(
  ctx: RequestContext,
  res: ServerResponse,
  chain: PhaseRunner,
  attempt: GrpcAttempt,
): Promise<'done' | { error: Error }> {
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < attempt.headers.length; i += 2) {
    const name = attempt.headers[i];
    if (!name.startsWith(':')) headers.push([name, attempt.headers[i + 1]]);
  }
  let response: Http2ForwardResponse;
  try {
    response = await forwardHttp2(
      {
        upstream: attempt.upstream,
        method: ctx.request.method,
        target: attempt.target,
        headers,
        body: await ctx.request.upstreamBody(),
        tls: attempt.tls,
        timeoutMs: attempt.timeoutMs,
        ...(attempt.connection ? { connection: attempt.connection } : {}),
      },
      attempt.sessions,
    );
  } catch (error) {
    return { error: error as Error };
  }
  ctx.upstreamStatus = response.status;
  ctx.response.status = response.status;
  for (const [name, value] of response.headers) if (!isHopByHop(name)) ctx.response.headers.append(name, value);
  await sendResponse(ctx, res, chain, bodyThenTrailers(response, res));
  return 'done';
}
