/**
 * Real servers for tests, started as child processes: this module plays the
 * role testcontainers plays elsewhere (these machines have no container
 * engine). Start a process, wait until it is ready, keep its output for the
 * failure message, stop it by pid. Every process started here is stopped when
 * the test run ends, also on Ctrl-C, so no test depends on a server left
 * running by someone else.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessSpec {
  /** Short name used in errors and logs, e.g. "redis-server:6390". */
  name: string;
  command: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Resolves true once the process serves; polled until `readyTimeoutMs`. */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
  pollIntervalMs?: number;
}

const MAX_LOG_BYTES = 64 * 1024;
const running = new Set<ManagedProcess>();

export class ManagedProcess {
  private output = '';
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exitPromise: Promise<void>;

  constructor(
    readonly spec: ProcessSpec,
    readonly child: ChildProcess,
  ) {
    const append = (chunk: Buffer): void => {
      this.output += chunk.toString();
      if (this.output.length > MAX_LOG_BYTES) this.output = this.output.slice(-MAX_LOG_BYTES);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.exitPromise = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exited = { code, signal };
        running.delete(this);
        resolve();
      });
      child.on('error', (error) => {
        this.output += `\n[spawn error] ${error.message}`;
        this.exited = { code: null, signal: null };
        running.delete(this);
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }
  get hasExited(): boolean {
    return this.exited !== undefined;
  }
  /** The last 64 KiB of stdout and stderr, interleaved. */
  logs(): string {
    return this.output;
  }
  waitForExit(): Promise<void> {
    return this.exitPromise;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const killed = await Promise.race([this.exitPromise.then(() => true), sleep(graceMs).then(() => false)]);
    if (!killed) {
      this.child.kill('SIGKILL');
      await this.exitPromise;
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  describeExit(): string {
    if (!this.exited) return 'still running';
    return this.exited.signal ? `killed by ${this.exited.signal}` : `exited with code ${this.exited.code}`;
  }
}

/** Starts a process and waits until `spec.ready()` says it serves; throws with its logs otherwise. */
export async function startProcess(spec: ProcessSpec): Promise<ManagedProcess> {
  const child = spawn(spec.command, spec.args ?? [], {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const managed = new ManagedProcess(spec, child);
  running.add(managed);
  const deadline = Date.now() + (spec.readyTimeoutMs ?? 20_000);
  const interval = spec.pollIntervalMs ?? 50;
  while (Date.now() < deadline) {
    if (managed.hasExited) {
      throw new Error(`${spec.name} ${managed.describeExit()} before it was ready:\n${managed.logs()}`);
    }
    if (await spec.ready().catch(() => false)) return managed;
    await sleep(interval);
  }
  await managed.stop();
  throw new Error(`${spec.name} was not ready after ${spec.readyTimeoutMs ?? 20_000} ms:\n${managed.logs()}`);
}

/** Stops every process this module started and that is still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop(2000)));
}

function killAllSync(): void {
  for (const p of running) {
    try {
      p.child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

process.once('exit', killAllSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllSync();
    process.exit(130);
  });
}
