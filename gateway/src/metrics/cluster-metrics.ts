/**
 * Metrics across workers (spec README "workers": workers share no memory):
 * each worker registers its registry with prom-client's cluster support, and
 * the primary, which owns the metrics listener, sums them with
 * AggregatorRegistry (counters and histograms add up, gauges too — the
 * connection numbers of all workers together are the gateway's).
 */
import { AggregatorRegistry, Counter, Registry } from 'prom-client';

export const WORKER_PROCESS_HELP = 'Number of times that a nginx worker has been started';

/** In a worker: answer the primary's metric requests with this registry. */
export function exposeToPrimary(registry: Registry): void {
  // Constructing one installs prom-client's worker-side message listener.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}

export interface ClusterCollector {
  collect(): Promise<string>;
  /** A worker process started (gateway.md §7 `worker_process`: +1 per start, dead workers included). */
  workerStarted(): void;
}

/**
 * In the primary: one aggregated text over every live worker, plus what only
 * the primary can know. `worker_process` is counted here, not in the
 * workers: a dead worker's registry leaves the sum with it, and the metric
 * counts every start, including those of workers that died since.
 */
export function clusterCollector(): ClusterCollector {
  const aggregator = new AggregatorRegistry();
  const own = new Registry();
  const starts = new Counter({ name: 'worker_process', help: WORKER_PROCESS_HELP, registers: [own] });
  return {
    // The exposition step (exposition.ts) merges and sorts the two texts' blocks.
    collect: async () => `${await aggregator.clusterMetrics()}\n${await own.metrics()}`,
    workerStarted: () => {
      starts.inc();
    },
  };
}
