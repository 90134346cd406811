/**
 * The process model in one call (gateway.md §1.9 APICAST_WORKERS, §10
 * signals): with more than one worker this process becomes the node:cluster
 * primary and forks workers that each run `startWorker`; with one worker the
 * gateway runs in this process directly (the development profile's "no
 * master"). Called at the same point of the CLI in the primary and in the
 * workers: node:cluster re-runs the entry script in each worker.
 */
import cluster from 'node:cluster';
import type { LogSink } from '../portal/log-sink.js';
import { runPrimary } from './primary.js';
import type { WorkerApp } from './worker-app.js';
import { superviseWorker } from './worker-runtime.js';

export interface ProcessModelOptions {
  workers: number;
  /** The metrics listener lives in the primary when there are workers. */
  metricsPort: number | undefined;
  log: LogSink;
}

/** True when this process serves traffic itself (single process, or a cluster worker). */
export function servesTraffic(options: Pick<ProcessModelOptions, 'workers'>): boolean {
  return cluster.isWorker || options.workers <= 1;
}

export async function runGateway(options: ProcessModelOptions, startWorker: () => Promise<WorkerApp>): Promise<void> {
  if (!servesTraffic(options)) {
    const primary = await runPrimary({ workers: options.workers, metricsPort: options.metricsPort, log: options.log });
    process.exit(await primary.done);
  }
  const app = await startWorker();
  superviseWorker(app, options.log);
}
