/**
 * Metrics across workers (spec README "workers": workers share no memory):
 * each worker registers its registry with prom-client's cluster support, and
 * the primary, which owns the metrics listener, sums them with
 * AggregatorRegistry (counters and histograms add up, gauges too — the
 * connection numbers of all workers together are the gateway's).
 */
import { AggregatorRegistry, type Registry } from 'prom-client';

/** In a worker: answer the primary's metric requests with this registry. */
export function exposeToPrimary(registry: Registry): void {
  // Constructing one installs prom-client's worker-side message listener.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}

/** In the primary: one aggregated text over every live worker. */
export function clusterCollector(): () => Promise<string> {
  const aggregator = new AggregatorRegistry();
  return () => aggregator.clusterMetrics();
}
