/**
 * One measurement of one proxy: saturation (req/s, p50/p99, CPU per request,
 * RSS), then a paced load at half of that proxy's own saturation rate, sent
 * once through the proxy and once straight to the upstream, so that the added
 * latency compares like with like.
 */
import { cpuSeconds, rssBytes } from './process-stats.js';
import { wrk, type WrkResult } from './wrk.js';

export interface LoadShape {
  connections: number;
  seconds: number;
  /** CPU list of the load generator. */
  cpus: string;
  scriptDir: string;
}

export interface Measurement {
  saturated: WrkResult;
  cpuMicrosPerRequest: number;
  rssBytes: number;
  /** Through the proxy at half its saturation rate. */
  half: WrkResult;
  /** Straight to the upstream at the same pacing. */
  directHalf: WrkResult;
}

/** Each paced connection waits this long between requests (wrk's delay() has whole milliseconds). */
const PACING_DELAY_MS = 5;

/** Connections that, each sending one request every PACING_DELAY_MS (plus its latency), make at most `rate` req/s. */
export function pacedConnections(rate: number): number {
  return Math.max(1, Math.floor((rate * PACING_DELAY_MS) / 1000));
}

export async function measure(
  target: { url: string; host?: string; pid: number },
  directUrl: string,
  load: LoadShape,
): Promise<Measurement> {
  const base = { host: target.host, cpus: load.cpus, scriptDir: load.scriptDir };
  await wrk({ ...base, url: target.url, connections: load.connections, seconds: 2 }); // warm-up: JIT, pools, authorization cache
  const cpuBefore = await cpuSeconds(target.pid);
  const saturated = await wrk({ ...base, url: target.url, connections: load.connections, seconds: load.seconds });
  // CPU per request hardly depends on what else runs on the machine, unlike requests/s.
  const cpuMicrosPerRequest = (((await cpuSeconds(target.pid)) - cpuBefore) * 1e6) / Math.max(1, saturated.rps * load.seconds);
  const rss = await rssBytes(target.pid);
  const paced = { connections: pacedConnections(saturated.rps / 2), seconds: load.seconds, delayMs: PACING_DELAY_MS };
  const half = await wrk({ ...base, url: target.url, ...paced });
  const directHalf = await wrk({ cpus: load.cpus, scriptDir: load.scriptDir, url: directUrl, ...paced });
  return { saturated, cpuMicrosPerRequest, rssBytes: rss, half, directHalf };
}

const middle = <T>(values: T[], key: (v: T) => number): T => [...values].sort((a, b) => key(a) - key(b))[Math.floor(values.length / 2)];
const median = (values: number[]): number => middle(values, (v) => v);

/** Figure by figure medians over the rounds (a noisy round on a shared machine does not decide). */
export interface Summary {
  rps: number;
  cpuMicrosPerRequest: number;
  p50: number;
  p99: number;
  rssBytes: number;
  addedP50: number;
  addedP99: number;
  errors: number;
}

export function summarize(rounds: Measurement[]): Summary {
  return {
    rps: median(rounds.map((r) => r.saturated.rps)),
    cpuMicrosPerRequest: median(rounds.map((r) => r.cpuMicrosPerRequest)),
    p50: median(rounds.map((r) => r.saturated.p50)),
    p99: median(rounds.map((r) => r.saturated.p99)),
    rssBytes: median(rounds.map((r) => r.rssBytes)),
    addedP50: median(rounds.map((r) => r.half.p50 - r.directHalf.p50)),
    addedP99: median(rounds.map((r) => r.half.p99 - r.directHalf.p99)),
    errors: rounds.reduce((sum, r) => sum + r.saturated.errors + r.half.errors, 0),
  };
}
