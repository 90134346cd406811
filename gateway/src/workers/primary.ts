/**
 * The primary process of a multi-worker gateway (APICAST_WORKERS > 1): forks
 * the workers, restarts one that dies, owns the gateway-wide shared
 * dictionaries and the metrics listener (summed over workers), relays
 * broadcasts, and translates signals as nginx's master does (gateway.md §10):
 * HUP → every worker reloads its configuration; QUIT → workers drain
 * in-flight requests, then everything exits 0; TERM/INT → exit now.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import { clusterCollector } from '../metrics/cluster-metrics.js';
import { createMetricsServer } from '../metrics/metrics-server.js';
import type { LogSink } from '../portal/log-sink.js';
import { isMessage, type BroadcastMessage, type ControlMessage, type ReadyMessage } from './ipc-messages.js';
import type { LocalDictCore } from './local-shared-dict.js';
import { DnsCacheRelay } from './dns-sharing.js';
import { serveDicts } from './shared-dict-ipc.js';

const MAX_HISTORY = 100;

export interface PrimaryOptions {
  workers: number;
  metricsPort: number | undefined;
  /** Address the metrics listener binds (all interfaces by default, as the original). */
  metricsHost?: string;
  log: LogSink;
}

export interface PrimaryHandle {
  metricsServer: Server | undefined;
  /** Resolves when the primary has decided to exit, with the exit code. */
  done: Promise<number>;
}

export async function runPrimary(options: PrimaryOptions): Promise<PrimaryHandle> {
  const dicts = new Map<string, LocalDictCore>();
  let stopping = false;
  let metricsServer: Server | undefined;
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => {
    finish = resolve;
  });

  // Management pushes/resets since the last DELETE, replayed to workers that start later.
  let history: BroadcastMessage[] = [];
  const remember = (message: BroadcastMessage) => {
    if (message.topic === 'config:delete') history = [];
    history.push(message);
    if (history.length > MAX_HISTORY) history = history.slice(-MAX_HISTORY);
  };

  const send = (worker: Worker, message: ControlMessage | BroadcastMessage) => {
    if (worker.isConnected()) worker.send(message);
  };
  // A worker listens for control messages only once it has booted (its 'apicast:ready'); one sent
  // earlier is dropped by its process, and a worker that missed 'drain' would never exit, so
  // the primary would wait for it for ever. Hold the command until the worker is ready; a drain
  // supersedes a reload (the worker exits anyway).
  const served = new Set<number>();
  const held = new Map<number, ControlMessage['command']>();
  const control = (worker: Worker, command: ControlMessage['command']) => {
    if (served.has(worker.id)) send(worker, { type: 'apicast:control', command });
    else if (held.get(worker.id) !== 'drain') held.set(worker.id, command);
  };
  // node:cluster keeps an exited worker in cluster.workers until its IPC channel is gone too:
  // filter on isDead() so "no worker left" is seen on the last 'exit', whatever the event order.
  const liveWorkers = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());

  const collector = clusterCollector();
  const dns = new DnsCacheRelay();
  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.once('online', () => {
      collector.workerStarted();
    });
    serveDicts(worker, dicts);
    dns.attach(worker, liveWorkers);
    worker.on('message', (message: unknown) => {
      if (isMessage<ReadyMessage>(message, 'apicast:ready')) {
        served.add(worker.id);
        dns.replayTo(worker);
        // A worker that started after some pushes (late boot, restart) catches up.
        for (const past of history) send(worker, past);
        const command = held.get(worker.id);
        held.delete(worker.id);
        if (command) control(worker, command);
        return;
      }
      if (!isMessage<BroadcastMessage>(message, 'apicast:broadcast')) return;
      remember(message);
      for (const other of liveWorkers()) if (other !== worker) send(other, message);
    });
    return worker;
  };

  // signal is null when the worker exited with a code, whatever the types say.
  cluster.on('exit', (worker, code, signal: string | null) => {
    held.delete(worker.id);
    if (stopping) {
      if (liveWorkers().length === 0) finish(0);
      return;
    }
    // A worker that dies before it served (bad configuration, port taken) would die again:
    // do not loop; when none is left, exit with its code.
    if (!served.has(worker.id)) {
      options.log.error(`worker ${worker.process.pid} failed to start (${signal ?? code})`);
      if (liveWorkers().length === 0) {
        stopping = true;
        metricsServer?.close();
        finish(code === 0 ? 0 : code || 1);
      }
      return;
    }
    options.log.error(`worker ${worker.process.pid} exited (${signal ?? code}), starting a new one`);
    fork();
  });

  for (let i = 0; i < options.workers; i++) fork();

  if (options.metricsPort !== undefined) {
    const created = createMetricsServer(() => collector.collect());
    metricsServer = created;
    await new Promise<void>((resolve, reject) => {
      created.once('error', reject);
      created.listen(options.metricsPort, options.metricsHost, () => {
        resolve();
      });
    });
  }

  let killing = false;
  const stopAll = (command: 'drain' | 'kill') => {
    // TERM/INT during a QUIT drain still stops everything now (nginx: fast shutdown wins).
    if (command === 'kill' ? killing : stopping) return;
    if (command === 'kill') killing = true;
    stopping = true;
    metricsServer?.close();
    const workers = liveWorkers();
    if (workers.length === 0) finish(0);
    for (const worker of workers) {
      if (command === 'drain') control(worker, 'drain');
      else worker.process.kill('SIGTERM');
    }
  };

  process.on('SIGHUP', () => {
    options.log.info('SIGHUP: reloading the configuration in every worker');
    for (const worker of liveWorkers()) control(worker, 'reload');
  });
  process.on('SIGQUIT', () => {
    options.log.info('SIGQUIT: draining workers');
    stopAll('drain');
  });
  process.on('SIGTERM', () => {
    stopAll('kill');
  });
  process.on('SIGINT', () => {
    stopAll('kill');
  });

  return { metricsServer, done };
}
