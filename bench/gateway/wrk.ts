/** Runs wrk (loopback only, bounded duration) and parses requests/s and latency percentiles. */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
  /** Non-2xx/3xx answers or socket errors, which would make the figures meaningless. */
  errors: number;
}

/** `1.23ms`, `512.00us`, `1.01s` → milliseconds. */
export function toMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) throw new Error(`cannot read wrk latency "${text}"`);
  const factor = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[match[2] as 'us' | 'ms' | 's' | 'm'];
  return Number(match[1]) * factor;
}

export function parseWrk(output: string): WrkResult {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
  const p50 = /\s50%\s+(\S+)/.exec(output)?.[1];
  const p99 = /\s99%\s+(\S+)/.exec(output)?.[1];
  if (!Number.isFinite(rps) || !p50 || !p99) throw new Error(`unexpected wrk output:\n${output}`);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket
    ? socket
        .slice(1)
        .map(Number)
        .reduce((a, b) => a + b, 0)
    : 0;
  return { rps, p50: toMs(p50), p99: toMs(p99), errors: non2xx + socketErrors };
}

export interface WrkOptions {
  url: string;
  host?: string;
  connections: number;
  seconds: number;
  /** CPU list for taskset, e.g. "1". */
  cpus?: string;
  /** Per-connection pause between requests (ms), to run below saturation. */
  delayMs?: number;
  scriptDir: string;
}

export async function wrk(options: WrkOptions): Promise<WrkResult> {
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency'];
  if (options.host) args.push('-H', `Host: ${options.host}`);
  if (options.delayMs !== undefined) {
    const script = join(options.scriptDir, `delay-${options.delayMs}.lua`);
    await writeFile(script, `function delay() return ${Math.max(0, Math.round(options.delayMs))} end\n`);
    args.push('-s', script);
  }
  args.push(options.url);
  const command = options.cpus ? 'taskset' : 'wrk';
  const full = options.cpus ? ['-c', options.cpus, 'wrk', ...args] : args;
  const { stdout } = await run(command, full, { timeout: (options.seconds + 30) * 1000 });
  return parseWrk(stdout);
}
