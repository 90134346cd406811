/**
 * A minimal WorkerApp run under the real process model (runGateway), for the
 * workers tests: an HTTP server whose answers show which worker served, the
 * gateway-wide shared dictionary, the configuration each worker loaded
 * (a file re-read on reload) and slow requests for drain tests.
 * Env: FIXTURE_PORT, FIXTURE_METRICS_PORT, FIXTURE_WORKERS, FIXTURE_CONFIG_FILE.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { installMetrics } from '../src/metrics/install.js';
import { runGateway } from '../src/workers/run-gateway.js';
import { sharedDict } from '../src/workers/shared-dicts.js';
import { GatewayRuntime } from '../src/runtime/gateway-runtime.js';
import { broadcastToOtherWorkers } from '../src/workers/broadcast.js';
import { asError } from '../src/shared/errors.js';

const log = {
  debug() {},
  info(m: string) {
    console.log(m);
  },
  warn(m: string) {
    console.log(m);
  },
  error(m: string) {
    console.error(m);
  },
};
const env = process.env;

await runGateway({ workers: Number(env.FIXTURE_WORKERS ?? '2'), metricsPort: Number(env.FIXTURE_METRICS_PORT), log }, async () => {
  const installed = await installMetrics({ extendedMetrics: false, errorLogLevel: 'error', metricsPort: Number(env.FIXTURE_METRICS_PORT) });
  const runtime = new GatewayRuntime({ hooks: installed.metrics.hooks, metrics: installed.metrics });
  const configFile = env.FIXTURE_CONFIG_FILE;
  if (configFile === undefined) throw new Error('cluster fixture: FIXTURE_CONFIG_FILE is not set');
  let config = readFileSync(configFile, 'utf8').trim();
  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://x');
    const reply = async (): Promise<string> => {
      if (url.pathname === '/incr') return String(await sharedDict(runtime, 'fixture').incr('counter', 1));
      if (url.pathname === '/config') return config;
      if (url.pathname === '/push') {
        config = url.searchParams.get('value') ?? '';
        broadcastToOtherWorkers('config', config);
        return 'pushed';
      }
      if (url.pathname === '/slow') {
        await sleep(Number(url.searchParams.get('ms') ?? '500'));
        return 'slow done';
      }
      return String(process.pid);
    };
    reply().then(
      (body) => {
        res.end(body);
        runtime.hooks.requestFinished({
          status: 200,
          totalTime: Number(process.hrtime.bigint() - started) / 1e9,
          upstreamStatus: undefined,
          upstreamTime: undefined,
          serviceId: undefined,
          serviceSystemName: undefined,
        });
      },
      (error: unknown) => {
        res.statusCode = 500;
        res.end(asError(error).message);
      },
    );
  });
  installed.connections.attach(server);
  server.keepAliveTimeout = 75_000;
  await new Promise<void>((resolve) => server.listen(Number(env.FIXTURE_PORT), '127.0.0.1', resolve));
  return {
    reload: () =>
      new Promise<void>((resolve) => {
        config = readFileSync(configFile, 'utf8').trim();
        resolve();
      }),
    async drain() {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeIdleConnections();
      });
    },
    close() {
      server.closeAllConnections();
      server.close();
      return Promise.resolve();
    },
    onBroadcast(topic, payload) {
      if (topic === 'config') config = String(payload);
    },
  };
});
