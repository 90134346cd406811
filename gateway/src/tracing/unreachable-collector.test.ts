/**
 * A collector that is down never delays a response (gateway.md §7.1): the
 * gateway process traces to a closed port, answers every request as fast as
 * an untraced one would, logs the failed exports once, and still propagates
 * a W3C traceparent upstream.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Client } from 'undici';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { startGatewayProcess, type GatewayUnderTest } from '../../test-support/gateway-process.js';
import { createServer, type Server, type Socket } from 'node:net';
import { freePort } from '../../../test/support/ports.js';
import { stopAll } from '../../test-support/teardown.js';

const TOKEN = 'trace-token';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

/** A collector that accepts connections and never answers (a hung or black-holed one): each export waits out its timeout. */
async function blackHole(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

for (const kind of ['closed port', 'black hole (accepts, never answers)'] as const)
  describe(`tracing: unreachable collector (gateway process, ${kind})`, function () {
    this.timeout(60_000);
    let backend: FakeBackend;
    let upstream: TestUpstream;
    let gateway: GatewayUnderTest;
    let collector: { port: number; close: () => Promise<void> } | undefined;

    before(async () => {
      backend = await FakeBackend.start({ serviceTokens: { '7': TOKEN }, applications: [{ user_key: 'secret-key' }] });
      upstream = await TestUpstream.start();
      collector = kind === 'closed port' ? undefined : await blackHole();
      const closedPort = collector?.port ?? (await freePort()); // closed port: nothing listens there
      const configFile = join(mkdtempSync(join(tmpdir(), 'otel-')), 'otel.toml');
      // A short schedule so exports (and their failures) happen during the test.
      await writeFile(
        configFile,
        `exporter = "otlp"\n[exporters.otlp]\nhost = "127.0.0.1"\nport = ${closedPort}\n[processors.batch]\nschedule_delay_millis = 100\n[service]\nname = "apicast-test"\n`,
      );
      gateway = await startGatewayProcess({
        env: { OPENTELEMETRY: '1', OPENTELEMETRY_CONFIG: configFile, OPENTRACING_TRACER: 'jaeger' },
        config: {
          services: [
            {
              id: 7,
              backend_version: '1',
              backend_authentication_type: 'service_token',
              backend_authentication_value: TOKEN,
              proxy: {
                hosts: ['trace.test'],
                api_backend: upstream.url,
                backend: { endpoint: backend.url },
                proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
              },
            },
          ],
        },
      });
    });
    after(async () => {
      await stopAll(gateway, upstream, backend);
      await collector?.close();
    });

    it('answers 200 requests without delay while every export fails, and logs the failure once', async () => {
      const client = new Client(gateway.url);
      const times: number[] = [];
      try {
        for (let i = 0; i < 200; i++) {
          const started = performance.now();
          const response = await client.request({ method: 'GET', path: `/r${i}?user_key=secret-key`, headers: { host: 'trace.test' } });
          await response.body.text();
          assert.equal(response.statusCode, 200);
          times.push(performance.now() - started);
          if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 150)); // let batches be exported (and fail)
        }
      } finally {
        await client.close();
      }
      times.sort((a, b) => a - b);
      const p99 = times[Math.floor(times.length * 0.99)];
      // Generous for a loaded 2-core machine; an export on the request path would cost a connect failure or the 10 s timeout.
      assert.ok(p99 < 500, `p99 ${p99.toFixed(0)} ms`);
      // The exporter retries a refused connection, or waits for the silent one, within its 10 s export timeout before it reports the failure.
      const deadline = Date.now() + 20_000;
      while (!gateway.process.logs().includes('exporting spans to') && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 200));
      await new Promise((resolve) => setTimeout(resolve, 2000)); // the other failing batches finish about now
      const logs = gateway.process.logs();
      const failureLines = logs.split('\n').filter((line) => line.includes('exporting spans to'));
      assert.equal(failureLines.length, 1, `export failures are logged once a minute at most:\n${failureLines.join('\n')}`);
      assert.match(failureLines[0], /failed/);
      const legacy = logs.split('\n').filter((line) => line.includes('OPENTRACING_TRACER'));
      assert.equal(legacy.length, 1);
      assert.match(legacy[0], /use OPENTELEMETRY=1 and OPENTELEMETRY_CONFIG/);
    });

    it("sends its own traceparent upstream: a new trace, or the client's trace id with the gateway's span", async () => {
      upstream.requests.length = 0;
      const client = new Client(gateway.url);
      try {
        const incoming = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
        for (const headers of [{ host: 'trace.test' }, { host: 'trace.test', traceparent: incoming, tracestate: 'vendor=x' }]) {
          const response = await client.request({ method: 'GET', path: '/p?user_key=secret-key', headers });
          await response.body.text();
          assert.equal(response.statusCode, 200);
        }
      } finally {
        await client.close();
      }
      const [fresh, continued] = upstream.requests.map((r) => r.headers);
      const freshMatch = TRACEPARENT.exec(String(fresh.traceparent));
      assert.ok(freshMatch, `upstream got traceparent ${String(fresh.traceparent)}`);
      const continuedMatch = TRACEPARENT.exec(String(continued.traceparent));
      assert.ok(continuedMatch);
      assert.equal(continuedMatch[1], '0af7651916cd43dd8448eb211c80319c', "the client's trace goes on");
      assert.notEqual(continuedMatch[2], 'b7ad6b7169203331', "the parent upstream sees is the gateway's span, not the client's");
      assert.equal(continued.tracestate, 'vendor=x');
      assert.equal(
        upstream.requests.filter((r) => r.rawHeaders.filter((h) => h.toLowerCase() === 'traceparent').length !== 1).length,
        0,
        'one traceparent each',
      );
    });

    it("drains (SIGQUIT) within a few seconds: queued spans get 3 s, not the exporter's timeouts", async () => {
      const client = new Client(gateway.url);
      try {
        const response = await client.request({ method: 'GET', path: '/last?user_key=secret-key', headers: { host: 'trace.test' } });
        await response.body.text();
      } finally {
        await client.close();
      }
      const started = performance.now();
      gateway.process.signal('SIGQUIT');
      await gateway.process.waitForExit();
      const seconds = (performance.now() - started) / 1000;
      assert.ok(seconds < 8, `drain took ${seconds.toFixed(1)} s`);
    });
  });
