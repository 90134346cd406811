/**
 * `apicast mapping-service`: the cloud-hosted mapping-service (gateway.md
 * §9.2) on MAPPING_SERVICE_PORT (default 8093), Prometheus metrics on
 * APICAST_METRICS_PORT (default 9421). Runs until SIGTERM/SIGINT.
 */
import type { Server } from 'node:http';
import { Agent } from 'undici';
import { ConnectionStats } from '../metrics/connection-stats.js';
import { createGatewayMetrics } from '../metrics/gateway-metrics.js';
import { createMetricsServer } from '../metrics/metrics-server.js';
import { countLogLinesIn } from '../telemetry/hooks.js';
import { createLogger } from '../logging/logger.js';
import { logSink } from '../portal/log-sink.js';
import { SettingsError } from '../settings.js';
import { MasterClient } from '../cloud-hosted/mapping-service/master-client.js';
import { createMappingServer } from '../cloud-hosted/mapping-service/server.js';
import { parseMappingServiceSettings } from '../cloud-hosted/mapping-service/settings.js';

export default async function mappingService(): Promise<number> {
  let settings;
  try {
    settings = parseMappingServiceSettings(process.env);
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(`apicast mapping-service: invalid environment: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const log = createLogger('info', undefined);
  const dispatcher = new Agent({ connect: { rejectUnauthorized: settings.opensslVerify } });
  const client = new MasterClient({
    apiHost: settings.apiHost,
    masterAccessToken: settings.masterAccessToken,
    previewBaseDomain: settings.previewBaseDomain,
    log: logSink(log),
    dispatcher,
  });
  const metrics = mappingServiceMetrics();
  const server = createMappingServer(client, { onAnswer: metrics.answered });
  metrics.connections.attach(server);
  const metricsServer = createMetricsServer(() => metrics.registry.metrics());
  try {
    await listen(server, settings.port);
    await listen(metricsServer, settings.metricsPort);
  } catch (error) {
    process.stderr.write(`apicast mapping-service: cannot listen: ${(error as Error).message}\n`);
    server.close();
    await dispatcher.close();
    return 1;
  }
  log.info(`mapping-service listening on ${settings.port} (metrics on ${settings.metricsPort}), master portal ${settings.apiHost.origin}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      metricsServer.close();
      server.close(() => {
        resolve();
      });
      server.closeAllConnections();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await dispatcher.close();
  return 0;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      resolve();
    });
  });
}

/**
 * The original mapping-service is an APIcast, so its metrics listener shows
 * APIcast's process-level metrics (gateway.md §7): nginx_http_connections,
 * nginx_error_log, nginx_metric_errors_total, worker_process, and its own
 * requests as apicast_status / total_response_time_seconds (no service
 * labels: it has no services). Same names, HELP texts and buckets as the gateway.
 */
function mappingServiceMetrics() {
  const connections = new ConnectionStats();
  const metrics = createGatewayMetrics({ extendedMetrics: false, errorLogLevel: 'error', connections });
  countLogLinesIn((level) => metrics.hooks.logLine?.(level)); // error-log lines of this process count in nginx_error_log
  metrics.workerProcess.inc();
  return {
    registry: metrics.registry,
    connections,
    answered: (status: number, seconds: number): void => {
      metrics.hooks.requestFinished({
        status,
        totalTime: seconds,
        upstreamStatus: undefined,
        upstreamTime: undefined,
        serviceId: undefined,
        serviceSystemName: undefined,
      });
    },
  };
}
