/**
 * Shared set-up of the hostile-HTTP tests: the real gateway process in front
 * of a recording upstream and the fake backend, raw-socket exchanges for the
 * shapes no HTTP client sends, the "still serving" probe and the
 * credentials-in-logs check.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { readFile, readdir } from 'node:fs/promises';
import { request } from 'undici';
import { FakeBackend } from '../../../test-support/fake-backend.js';
import { TestUpstream } from '../../../test-support/upstream.js';
import { startGatewayProcess, type GatewayUnderTest } from '../../../test-support/gateway-process.js';

export const TOKEN = 'hostile-service-token-0b9f';
/** The credential every good request carries; it must never show up in the gateway's logs. */
export const USER_KEY = 'hostile-user-key-5c1e7a';

export interface Hostile {
  gateway: GatewayUnderTest;
  upstream: TestUpstream;
  backend: FakeBackend;
  stop(): Promise<void>;
}

/** One service on host `hostile.test` (and any extra services), api_backend = the recording upstream. */
export async function startHostile(
  options: {
    policyChain?: unknown[];
    apiBackendPath?: string;
    extraServices?: (upstream: TestUpstream, backend: FakeBackend) => unknown[];
    env?: Record<string, string>;
  } = {},
): Promise<Hostile> {
  const backend = await FakeBackend.start({
    serviceTokens: { '1': TOKEN, '2': TOKEN, '3': TOKEN, '4': TOKEN },
    applications: [{ user_key: USER_KEY }],
  });
  const upstream = await TestUpstream.start('127.0.0.1', { maxHeaderSize: 64 * 1024 });
  const service = {
    id: 1,
    backend_version: '1',
    backend_authentication_type: 'service_token',
    backend_authentication_value: TOKEN,
    proxy: {
      hosts: ['hostile.test'],
      api_backend: `${upstream.url}${options.apiBackendPath ?? ''}`,
      backend: { endpoint: backend.url },
      proxy_rules: [{ http_method: 'ANY', pattern: '/', metric_system_name: 'hits', delta: 1 }],
      ...(options.policyChain ? { policy_chain: options.policyChain } : {}),
    },
  };
  const gateway = await startGatewayProcess({
    config: { services: [service, ...(options.extraServices?.(upstream, backend) ?? [])] },
    env: { APICAST_LOG_LEVEL: 'info', ...options.env },
  });
  return {
    gateway,
    upstream,
    backend,
    async stop() {
      await gateway.stop();
      await upstream.stop();
      await backend.stop();
    },
  };
}

export interface RawAnswer {
  /** Everything the gateway wrote before closing (or before the wait ended). */
  text: string;
  /** Statuses of every response in `text`, in order. */
  statuses: number[];
  /** The gateway closed the connection. */
  closed: boolean;
}

/**
 * Writes `payload` (string or chunks written one by one) on a raw socket and collects the answer until the
 * gateway closes the connection or `waitMs` passed (a kept-alive connection stays open).
 */
export function rawExchange(port: number, payload: string | Buffer | (string | Buffer)[], waitMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    const finish = (): void => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ text, statuses: [...text.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1])), closed });
      socket.destroy();
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('connect', () => {
      for (const part of Array.isArray(payload) ? payload : [payload]) socket.write(part);
    });
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the answer is still an answer.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
        closed = true;
        finish();
      } else reject(error);
    });
  });
}

/** A well-formed request line + headers for the hostile service (no terminating blank line). */
export function head(path = `/ok?user_key=${USER_KEY}`, method = 'GET'): string {
  return `${method} ${path} HTTP/1.1\r\nHost: hostile.test\r\n`;
}

/** The gateway still answers a good request with 200 through the whole chain. */
export async function assertServing(h: Hostile): Promise<void> {
  const response = await request(`${h.gateway.url}/still-serving?user_key=${USER_KEY}`, { headers: { host: 'hostile.test' } });
  const body = await response.body.text();
  assert.equal(response.statusCode, 200, `a good request after the hostile ones: ${response.statusCode} ${body}`);
  assert.equal(h.gateway.process.hasExited, false, 'the gateway process is still running');
}

/** Neither the user key nor the service token appears in what the gateway logged (stdout and stderr). */
export function assertNoCredentialsLogged(h: Hostile): void {
  const logs = h.gateway.process.logs();
  assert.ok(!logs.includes(USER_KEY), 'the user key is not in the logs');
  assert.ok(!logs.includes(TOKEN), 'the service token is not in the logs');
}

/** PIDs of the processes serving requests: the workers (children of the primary), or the process itself when it has none. */
export async function servingPids(h: Hostile): Promise<number[]> {
  const children = await workerPids(h);
  return children.length > 0 ? children : [primaryPid(h)];
}

function primaryPid(h: Hostile): number {
  const pid = h.gateway.process.pid;
  if (pid === undefined) throw new Error('the gateway under test has no pid: it did not start');
  return pid;
}

/** PIDs of the gateway's worker processes (children of the primary). */
export async function workerPids(h: Hostile): Promise<number[]> {
  const primary = primaryPid(h);
  const pids: number[] = [];
  for (const task of await readdir(`/proc/${primary}/task`)) {
    const children = (await readFile(`/proc/${primary}/task/${task}/children`, 'utf8')).trim();
    if (children) pids.push(...children.split(/\s+/).map(Number));
  }
  return pids;
}

/** Resident set size (bytes) and open file descriptors of a process, from /proc. */
export async function processFootprint(pid: number): Promise<{ rss: number; fds: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return { rss: rssKb * 1024, fds: (await readdir(`/proc/${pid}/fd`)).length };
}
