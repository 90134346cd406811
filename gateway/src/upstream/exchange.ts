/**
 * One upstream attempt through an undici dispatcher with a plain handler:
 * the status line and headers go through header_filter, body chunks through
 * body_filter and straight into the client response with back-pressure (the
 * upstream is paused while the client is slow). No intermediate stream or
 * promise per chunk: this is the gateway's hottest path.
 */
import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { PhaseRunner } from '../chain/phase-runner.js';
import type { RequestContext } from '../chain/request-context.js';
import { isHopByHop } from '../http/respond.js';

export type AttemptOutcome =
  | { kind: 'done' }
  /** The upstream answered a status the retry policy retries; nothing was sent to the client. */
  | { kind: 'retry'; status: number }
  /** Failed before anything reached the client: the caller answers 502/504 (or retries). */
  | { kind: 'failed'; error: Error }
  /** Failed after the status line went out: only cutting the connection is left. */
  | { kind: 'broken'; error: Error };

export interface AttemptOptions {
  dispatch: Dispatcher.DispatchOptions;
  /** Statuses that trigger a retry instead of being relayed. */
  retryStatuses: ReadonlySet<number>;
  /**
   * upstream_connection timeouts in ms, enforced here with plain timers so
   * sub-second values hold (undici's own timers tick at ~1 s; they stay as a
   * backstop). send: longest pause while writing the request; read: longest
   * pause between the request sent and the headers, and between body chunks.
   */
  sendTimeoutMs?: number | undefined;
  readTimeoutMs?: number | undefined;
  /**
   * The request goes to a forward proxy in absolute form: its 407 (authentication required)
   * is not relayed but fails the attempt with `proxyStatus` (proxy.ts answers 503).
   */
  viaProxy?: boolean;
}

function timeoutError(what: string, ms: number): Error {
  // ETIMEDOUT: proxy.ts classifies it as a timeout (504, `timeout` retry case).
  return Object.assign(new Error(`upstream ${what} timed out (${ms} ms)`), { code: 'ETIMEDOUT' });
}

export function attempt(
  ctx: RequestContext,
  res: ServerResponse,
  chain: PhaseRunner,
  dispatcher: Dispatcher,
  options: AttemptOptions,
): Promise<AttemptOutcome> {
  return new Promise<AttemptOutcome>((resolve) => {
    const response = ctx.response as { status: number; headersSent: boolean; bytesSent: number };
    const filtering = chain.uses('body_filter');
    const bodyless = ctx.request.method === 'HEAD';
    let discarding = false;
    let refused: number | undefined;
    let started = false;
    let settled = false;
    let abortUpstream: ((reason?: Error) => void) | undefined;
    let sendTimer: NodeJS.Timeout | undefined;
    let readTimer: NodeJS.Timeout | undefined;
    const expire = (what: string, ms: number) => () => abortUpstream?.(timeoutError(what, ms));
    const clearTimers = (): void => {
      if (sendTimer) clearTimeout(sendTimer);
      if (readTimer) clearTimeout(readTimer);
    };
    /** (Re)arms the read timer: progress from the upstream resets the allowed silence. */
    const reading = (): void => {
      const ms = options.readTimeoutMs;
      if (ms === undefined) return;
      if (readTimer) readTimer.refresh();
      else readTimer = setTimeout(expire('read', ms), ms);
    };
    const pauseReading = (): void => {
      if (readTimer) {
        clearTimeout(readTimer);
        readTimer = undefined;
      }
    };
    const finish = (outcome: AttemptOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimers();
      res.off('close', onClientGone);
      resolve(outcome);
    };
    const onClientGone = (): void => {
      if (!res.writableFinished) abortUpstream?.(new Error('client closed the connection'));
      finish({ kind: 'done' });
    };
    res.once('close', onClientGone);

    const writeHead = (): void => {
      for (const [name, value] of ctx.extraResponseHeaders) ctx.response.headers.append(name, value);
      // Only a declared body change costs the upstream's Content-Length (ResponseState.rewritesBody).
      if (filtering && ctx.response.bodyRewritten) ctx.response.headers.delete('content-length');
      res.statusCode = ctx.response.status;
      for (const [name, values] of ctx.response.headers) res.setHeader(name, values.length === 1 ? values[0] : values);
      response.headersSent = true;
    };
    const write = (chunk: Buffer, resume: () => void): boolean => {
      if (chunk.length === 0 || bodyless || res.destroyed) return true;
      response.bytesSent += chunk.length;
      if (res.write(chunk)) return true;
      // Paused for a slow client: the upstream's silence is ours, not a read timeout.
      pauseReading();
      res.once('drain', () => {
        reading();
        resume();
      });
      return false;
    };
    let resumeUpstream: () => void = () => {};

    const handler = {
      onConnect(abort: (reason?: Error) => void) {
        abortUpstream = abort;
        if (ctx.aborted || res.destroyed) {
          abort(new Error('client closed the connection'));
          return;
        }
        const ms = options.sendTimeoutMs;
        if (ms !== undefined) sendTimer = setTimeout(expire('send', ms), ms);
      },
      onBodySent(): void {
        sendTimer?.refresh();
      },
      onRequestSent(): void {
        if (sendTimer) {
          clearTimeout(sendTimer);
          sendTimer = undefined;
        }
        reading();
      },
      onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
        if (statusCode < 200) return true; // 1xx: the final answer follows
        reading();
        resumeUpstream = resume;
        if (options.viaProxy && statusCode === 407) {
          refused = statusCode;
          discarding = true;
          return true;
        }
        ctx.upstreamStatus = statusCode;
        if (options.retryStatuses.has(statusCode)) {
          discarding = true;
          return true;
        }
        started = true;
        response.status = statusCode;
        for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
          const name = rawHeaders[i].toString('latin1');
          if (!isHopByHop(name)) ctx.response.headers.append(name, rawHeaders[i + 1].toString('latin1'));
        }
        const filtering = chain.runAll('header_filter', ctx);
        if (!filtering) {
          writeHead();
          return true;
        }
        // An asynchronous header_filter: hold the upstream until it ran.
        pauseReading();
        const go = (): void => {
          writeHead();
          reading();
          resume();
        };
        filtering.then(go, go);
        return false;
      },
      onData(chunk: Buffer): boolean {
        readTimer?.refresh();
        if (discarding) return true;
        return write(filtering ? chain.filterBody(ctx, chunk, false) : chunk, resumeUpstream);
      },
      onComplete(): void {
        if (refused !== undefined) {
          finish({ kind: 'failed', error: Object.assign(new Error(`forward proxy answered ${refused}`), { proxyStatus: refused }) });
          return;
        }
        if (discarding) {
          finish({ kind: 'retry', status: ctx.upstreamStatus ?? 0 });
          return;
        }
        if (filtering) write(chain.filterBody(ctx, Buffer.alloc(0), true), () => {});
        res.end();
        finish({ kind: 'done' });
      },
      onError(error: Error): void {
        finish(started ? { kind: 'broken', error } : { kind: 'failed', error });
      },
    };
    // undici 7's types describe the newer handler shape; its core client checks this one.
    dispatcher.dispatch(options.dispatch, handler);
  });
}
