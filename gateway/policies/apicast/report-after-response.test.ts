/**
 * A cached authorization answers first and reports after (gateway.md §4.5):
 * the client's response never waits for the post-response authrep, however
 * slow the backend is, on the same keep-alive connection or on others.
 */
import assert from 'node:assert/strict';
import { Client } from 'undici';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { startGatewayProcess, type GatewayUnderTest } from '../../test-support/gateway-process.js';
import { stopAll } from '../../test-support/teardown.js';

const TOKEN = 'report-token';
const SLOW_REPORT_MS = 3000;

async function timedGet(client: Client, path: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await client.request({ method: 'GET', path, headers: { host: 'report.test' } });
  await response.body.text();
  return { status: response.statusCode, ms: performance.now() - started };
}

describe('apicast: reports never delay responses (gateway process + slow fake backend)', function () {
  this.timeout(60_000);
  let backend: FakeBackend;
  let upstream: TestUpstream;
  let gateway: GatewayUnderTest;

  before(async () => {
    backend = await FakeBackend.start({ serviceTokens: { '7': TOKEN }, applications: [{ user_key: 'k' }] });
    upstream = await TestUpstream.start();
    gateway = await startGatewayProcess({
      config: {
        services: [
          {
            id: 7,
            backend_version: '1',
            backend_authentication_type: 'service_token',
            backend_authentication_value: TOKEN,
            proxy: {
              hosts: ['report.test'],
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
  });

  it('answers a cached request in well under the 3 s its report takes, and the next requests too', async () => {
    // A Client is one keep-alive connection. Arrival 1 is the authorizing authrep of the first request; arrival 2 the report of the second.
    backend.delayOf = (arrival) => (arrival === 2 ? SLOW_REPORT_MS : 0);
    const sameConnection = new Client(gateway.url);
    const otherConnection = new Client(gateway.url);
    try {
      const first = await timedGet(sameConnection, '/a?user_key=k');
      assert.equal(first.status, 200);
      await backend.waitForCalls(1);

      const cached = await timedGet(sameConnection, '/b?user_key=k');
      assert.equal(cached.status, 200);
      // Generous bound (a loaded CI machine), still far below the report's 3 s.
      assert.ok(cached.ms < 1000, `cached request took ${cached.ms.toFixed(0)} ms: it waited for its report`);
      assert.equal(backend.calls.length, 1, 'the slow report is not answered yet when the response is complete');
      while (backend.arrived < 2) await new Promise((resolve) => setTimeout(resolve, 10));

      const next = await timedGet(sameConnection, '/c?user_key=k');
      const elsewhere = await timedGet(otherConnection, '/d?user_key=k');
      assert.equal(next.status, 200);
      assert.equal(elsewhere.status, 200);
      assert.ok(next.ms < 1000, `next request on the same connection took ${next.ms.toFixed(0)} ms`);
      assert.ok(elsewhere.ms < 1000, `request on another connection took ${elsewhere.ms.toFixed(0)} ms`);

      // Every cached request is still reported, the slow one included.
      await backend.waitForCalls(4, 10_000);
      const authreps = backend.callsOf('authrep');
      assert.equal(authreps.length, 4);
      assert.ok(
        authreps.every((call) => call.status === 200),
        `statuses ${authreps.map((c) => c.status).join(', ')}`,
      );
    } finally {
      await sameConnection.close();
      await otherConnection.close();
    }
  });

  it('a draining gateway (SIGQUIT) waits for a hanging report only a bounded time, and says so', async () => {
    const hanging = new FakeBackendHang();
    backend.delayOf = (arrival) => hanging.delay(arrival);
    const client = new Client(gateway.url);
    try {
      // Authorized from the cache by the first test: this request's report is the one that hangs.
      hanging.from = backend.arrived + 1;
      const cached = await timedGet(client, '/e?user_key=k');
      assert.equal(cached.status, 200);
      while (backend.arrived < hanging.from) await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      await client.close();
    }
    const started = performance.now();
    gateway.process.signal('SIGQUIT');
    await gateway.process.waitForExit();
    const drainMs = performance.now() - started;
    // The report would hang for 30 s; the drain grace is 5 s (backend/client.ts DRAIN_GRACE_MS).
    assert.ok(drainMs < 20_000, `drain took ${drainMs.toFixed(0)} ms`);
    assert.match(gateway.process.logs(), /1 call\(s\) still in flight after 5000 ms of drain, cut/);
  });
});

/** Delays every call from arrival `from` on by 30 s: a backend that stopped answering. */
class FakeBackendHang {
  from = Number.POSITIVE_INFINITY;
  delay(arrival: number): number {
    return arrival >= this.from ? 30_000 : 0;
  }
}
