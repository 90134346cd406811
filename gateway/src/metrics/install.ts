/**
 * Metrics for the process that serves traffic: creates the registry,
 * installs the telemetry hooks the request path calls, counts the worker
 * start, and either serves GET /metrics itself (single process) or hands its
 * registry to the primary for aggregation (cluster worker).
 */
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { countLogLinesIn } from '../telemetry/hooks.js';
import { exposeToPrimary } from './cluster-metrics.js';
import { ConnectionStats } from './connection-stats.js';
import { createGatewayMetrics, type GatewayMetrics } from './gateway-metrics.js';
import { createMetricsServer } from './metrics-server.js';

export interface InstalledMetrics {
  metrics: GatewayMetrics;
  /** Attach every proxy listener (HTTP and HTTPS) for nginx_http_connections. */
  connections: ConnectionStats;
  /** Set in a single-process gateway; the primary serves metrics otherwise. */
  server: Server | undefined;
}

export async function installMetrics(options: {
  extendedMetrics: boolean;
  errorLogLevel: string;
  metricsPort: number | undefined;
  host?: string;
  maxLogsPerScrape?: number;
}): Promise<InstalledMetrics> {
  const connections = new ConnectionStats();
  const metrics = createGatewayMetrics({
    extendedMetrics: options.extendedMetrics,
    errorLogLevel: options.errorLogLevel,
    connections,
    ...(options.maxLogsPerScrape !== undefined ? { maxLogsPerScrape: options.maxLogsPerScrape } : {}),
  });
  countLogLinesIn((level) => metrics.hooks.logLine?.(level));
  let server: Server | undefined;
  if (cluster.isWorker) {
    // The primary counts worker starts (cluster-metrics.ts): a worker's own count would vanish with it.
    metrics.registry.removeSingleMetric('worker_process');
    exposeToPrimary(metrics.registry);
  } else {
    metrics.workerProcess.inc();
  }
  if (!cluster.isWorker && options.metricsPort !== undefined) {
    const created = createMetricsServer(() => metrics.registry.metrics());
    server = created;
    await new Promise<void>((resolve, reject) => {
      created.once('error', reject);
      created.listen(options.metricsPort, options.host, () => {
        resolve();
      });
    });
  }
  return { metrics, connections, server };
}
