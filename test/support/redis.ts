/**
 * Real Redis for tests: redis-server and redis-sentinel from Debian, started as
 * child processes on free loopback ports with a throw-away working directory.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { startProcess, type ManagedProcess } from './process.js';
import { freePort } from './ports.js';

export interface RedisServer {
  host: string;
  port: number;
  url: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** Sends one inline command and returns the raw reply (enough for PING/INFO in readiness checks). */
export async function redisCommand(port: number, command: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port });
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy(new Error('timeout')));
    socket.on('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.endsWith('\r\n')) socket.end();
    });
    socket.on('end', () => {
      resolve(reply);
    });
    socket.on('close', () => {
      resolve(reply);
    });
    socket.on('error', reject);
  });
}

const pingReady = (port: number) => async () => (await redisCommand(port, 'PING')).startsWith('+PONG');

export async function startRedis(options: { replicaOf?: number; password?: string } = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
  if (options.replicaOf) args.push('--replicaof', '127.0.0.1', String(options.replicaOf));
  if (options.password) args.push('--requirepass', options.password, '--masterauth', options.password);
  const proc = await startProcess({
    name: `redis-server:${port}`,
    command: 'redis-server',
    args,
    ready: options.password ? async () => (await redisCommand(port, `AUTH ${options.password}`)).startsWith('+OK') : pingReady(port),
  });
  return { host: '127.0.0.1', port, url: `redis://127.0.0.1:${port}`, process: proc, stop: () => proc.stop() };
}

export interface SentinelGroup {
  masterName: string;
  master: RedisServer;
  replica: RedisServer;
  sentinels: { port: number; process: ManagedProcess }[];
  /** `redis+sentinel://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3/<master>` */
  url: string;
  /** Asks a sentinel for the address of the current master. */
  currentMasterPort(): Promise<number>;
  /** Forces a failover and resolves once the sentinels report the other server as master. */
  failover(timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/** One master, one replica and three sentinels with quorum 2, all on loopback. */
export async function startSentinelGroup(masterName = 'mymaster'): Promise<SentinelGroup> {
  const master = await startRedis();
  const replica = await startRedis({ replicaOf: master.port });
  const sentinels: { port: number; process: ManagedProcess }[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const dir = await mkdtemp(join(tmpdir(), 'sentinel-'));
    const conf = join(dir, 'sentinel.conf');
    await writeFile(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 2`,
        `sentinel down-after-milliseconds ${masterName} 1000`,
        `sentinel failover-timeout ${masterName} 5000`,
        `sentinel parallel-syncs ${masterName} 1`,
        '',
      ].join('\n'),
    );
    const proc = await startProcess({
      name: `redis-sentinel:${port}`,
      command: 'redis-sentinel',
      args: [conf],
      ready: pingReady(port),
    });
    sentinels.push({ port, process: proc });
  }
  const currentMasterPort = async (): Promise<number> => {
    const reply = await redisCommand(sentinels[0].port, `SENTINEL get-master-addr-by-name ${masterName}`);
    const lines = reply.split('\r\n');
    return Number(lines[4]);
  };
  const group: SentinelGroup = {
    masterName,
    master,
    replica,
    sentinels,
    url: `redis+sentinel://${sentinels.map((s) => `127.0.0.1:${s.port}`).join(',')}/${masterName}`,
    currentMasterPort,
    async failover(timeoutMs = 20_000) {
      const before = await currentMasterPort();
      await redisCommand(sentinels[0].port, `SENTINEL failover ${masterName}`);
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const now = await currentMasterPort().catch(() => before);
        if (now && now !== before) return now;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`sentinel failover of ${masterName} did not complete in ${timeoutMs} ms`);
    },
    async stop() {
      await Promise.all(sentinels.map((s) => s.process.stop()));
      await Promise.all([replica.stop(), master.stop()]);
    },
  };
  // Sentinels learn about the replica through the master; wait until they do,
  // otherwise an early failover request is refused ("NOGOODSLAVE").
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const info = await redisCommand(sentinels[0].port, `SENTINEL replicas ${masterName}`).catch(() => '');
    if (info.includes(String(replica.port))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return group;
}
