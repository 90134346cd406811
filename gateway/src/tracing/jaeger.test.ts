/**
 * Tracing end to end against a real Jaeger (test/jaeger/): the gateway process
 * exports to it over OTLP/gRPC (APIcast's host/port configuration) and, in one
 * test, OTLP/HTTP (an endpoint URL); the test reads the trace back from Jaeger's query
 * API and checks the spans, their parents, their attributes, the traceparent
 * the upstream received, and that no credential reached any attribute.
 * A Jaeger that cannot be built or started fails the suite (no skip).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'undici';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { startGatewayProcess, type GatewayUnderTest } from '../../test-support/gateway-process.js';
import { Jaeger, type JaegerSpan, type JaegerTrace } from '../../../test/jaeger/harness.js';
import { stopAll } from '../../test-support/teardown.js';

const TOKEN = 'jaeger-service-token-s3cr3t';
const USER_KEY = 'jaeger-user-key-s3cr3t';
const SERVICE_NAME = 'apicast-jaeger-test';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

function tag(span: JaegerSpan, key: string): string | number | boolean | undefined {
  return span.tags.find((t) => t.key === key)?.value;
}
function parentOf(span: JaegerSpan): string | undefined {
  return span.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
}
function only(trace: JaegerTrace, predicate: (span: JaegerSpan) => boolean, what: string): JaegerSpan {
  const spans = trace.spans.filter(predicate);
  assert.equal(spans.length, 1, `one ${what} span in ${JSON.stringify(trace.spans.map((s) => s.operationName))}`);
  return spans[0];
}

describe('tracing: spans in a real Jaeger (gateway process, fake 3scale backend, real upstream)', function () {
  this.timeout(20 * 60_000); // a cold Jaeger build; cached, the whole suite takes seconds
  let jaeger: Jaeger;
  let backend: FakeBackend;
  let upstream: TestUpstream;
  let gateway: GatewayUnderTest;

  before(async () => {
    jaeger = await Jaeger.start();
    backend = await FakeBackend.start({ serviceTokens: { '7': TOKEN, '8': TOKEN }, applications: [{ user_key: USER_KEY }] });
    upstream = await TestUpstream.start();
    const configFile = join(mkdtempSync(join(tmpdir(), 'otel-')), 'otel.toml');
    const endpoint = new URL(jaeger.grpcEndpoint);
    await writeFile(
      configFile,
      [
        'exporter = "otlp"',
        'processor = "batch"',
        '[exporters.otlp]',
        `host = "${endpoint.hostname}"`,
        `port = ${endpoint.port}`,
        '[processors.batch]',
        'schedule_delay_millis = 200',
        '[service]',
        `name = "${SERVICE_NAME}"`,
      ].join('\n'),
    );
    gateway = await startGatewayProcess({
      env: { OPENTELEMETRY: '1', OPENTELEMETRY_CONFIG: configFile },
      config: {
        services: [
          {
            // Reports batched by 3scale_batcher go from a timer: their own trace, not a request's.
            id: 8,
            backend_version: '1',
            backend_authentication_type: 'service_token',
            backend_authentication_value: TOKEN,
            proxy: {
              hosts: ['batched.test'],
              api_backend: upstream.url,
              backend: { endpoint: backend.url },
              proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
              policy_chain: [{ name: '3scale_batcher', configuration: { batch_report_seconds: 1 } }, { name: 'apicast' }],
            },
          },
          {
            id: 7,
            backend_version: '1',
            backend_authentication_type: 'service_token',
            backend_authentication_value: TOKEN,
            proxy: {
              hosts: ['jaeger.test'],
              api_backend: `${upstream.url}/api`,
              backend: { endpoint: backend.url },
              proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
            },
          },
        ],
      },
    });
  });
  after(async () => {
    await stopAll(gateway, upstream, backend, jaeger);
  });

  async function get(path: string, headers: Record<string, string> = {}): Promise<number> {
    const client = new Client(gateway.url);
    try {
      const response = await client.request({ method: 'GET', path, headers: { host: 'jaeger.test', ...headers } });
      await response.body.text();
      return response.statusCode;
    } finally {
      await client.close();
    }
  }

  it('exports the server span, the authrep span and the upstream span of one request, linked, with their attributes', async () => {
    upstream.requests.length = 0;
    assert.equal(await get(`/things/1?user_key=${USER_KEY}&color=red`), 200);
    const sent = TRACEPARENT.exec(String(upstream.requests[0]?.headers.traceparent));
    assert.ok(sent, `upstream received traceparent ${String(upstream.requests[0]?.headers.traceparent)}`);
    const [, traceId, upstreamParent] = sent;

    const trace = await jaeger.waitForTrace(traceId, 3);
    assert.equal(trace.traceID, traceId, 'the trace id the upstream got is the one Jaeger holds');
    assert.equal(trace.processes[trace.spans[0].processID].serviceName, SERVICE_NAME);
    assert.ok(
      (await jaeger.traces(SERVICE_NAME)).some((t) => t.traceID === traceId),
      '/api/traces?service= finds it',
    );

    const server = only(trace, (s) => s.operationName === 'apicast', 'server');
    const authrep = only(trace, (s) => s.operationName === 'backend authrep', 'backend');
    const call = only(trace, (s) => s.operationName.startsWith('upstream'), 'upstream');

    assert.equal(parentOf(server), undefined, 'a request without traceparent starts a trace');
    assert.equal(tag(server, 'span.kind'), 'server');
    assert.equal(tag(server, 'http.method'), 'GET');
    assert.equal(tag(server, 'http.target'), '/things/1');
    assert.equal(tag(server, 'http.host'), 'jaeger.test');
    assert.equal(tag(server, 'http.status_code'), 200);
    assert.equal(tag(server, 'threescale.service_id'), '7');

    assert.equal(parentOf(authrep), server.spanID, 'the backend call is a child of the request');
    assert.equal(tag(authrep, 'span.kind'), 'client');
    assert.equal(tag(authrep, 'threescale.backend.endpoint'), 'authrep');
    assert.equal(tag(authrep, 'http.url'), `${backend.url}/transactions/authrep.xml`);
    assert.equal(tag(authrep, 'http.status_code'), 200);

    assert.equal(parentOf(call), server.spanID, 'the upstream call is a child of the request');
    assert.equal(call.spanID, upstreamParent, "the upstream's traceparent names the upstream span");
    assert.equal(tag(call, 'span.kind'), 'client');
    assert.equal(tag(call, 'http.url'), `${upstream.url.replace('localhost', '127.0.0.1')}/api/things/1`);
    assert.equal(tag(call, 'http.status_code'), 200);

    // No credential anywhere: neither the user key, nor the service token, nor the names that carry them.
    const everything = JSON.stringify(trace);
    for (const secret of [USER_KEY, TOKEN, 'user_key', 'service_token', 'color=red']) {
      assert.ok(!everything.includes(secret), `"${secret}" appears in the exported trace`);
    }
  });

  it('a batched report is a root span of its own, without credentials', async () => {
    upstream.requests.length = 0;
    assert.equal(await get(`/batched?user_key=${USER_KEY}`, { host: 'batched.test' }), 200);
    const requestTrace = TRACEPARENT.exec(String(upstream.requests[0]?.headers.traceparent))![1];
    const trace = await jaeger.waitForTrace(requestTrace, 3);
    const authorize = only(trace, (s) => s.operationName === 'backend auth', 'authorize');
    assert.equal(tag(authorize, 'http.url'), `${backend.url}/transactions/authorize.xml`);
    assert.ok(!trace.spans.some((s) => s.operationName === 'backend report'), 'the report is not part of the request');
    const deadline = Date.now() + 20_000;
    let report: JaegerTrace | undefined;
    while (!report && Date.now() < deadline) {
      report = (await jaeger.traces(SERVICE_NAME)).find((t) => t.spans.some((s) => s.operationName === 'backend report'));
      if (!report) await new Promise((r) => setTimeout(r, 300));
    }
    assert.ok(report, 'a backend report span reached Jaeger');
    assert.equal(report.spans.length, 1);
    const span = report.spans[0];
    assert.equal(parentOf(span), undefined);
    assert.equal(tag(span, 'http.method'), 'POST');
    assert.equal(tag(span, 'http.url'), `${backend.url}/transactions.xml`);
    assert.equal(tag(span, 'http.status_code'), 202);
    for (const secret of [USER_KEY, TOKEN]) assert.ok(!JSON.stringify(report).includes(secret), `"${secret}" in the report span`);
  });

  it('continues a trace whose traceparent the client sent', async () => {
    upstream.requests.length = 0;
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const clientSpan = '00f067aa0ba902b7';
    assert.equal(await get(`/other?user_key=${USER_KEY}`, { traceparent: `00-${traceId}-${clientSpan}-01` }), 200);
    assert.equal(TRACEPARENT.exec(String(upstream.requests[0]?.headers.traceparent))?.[1], traceId);
    const trace = await jaeger.waitForTrace(traceId, 3);
    const server = only(trace, (s) => s.operationName === 'apicast', 'server');
    assert.equal(parentOf(server), clientSpan, "the server span is a child of the client's span");
  });

  it('an OTLP/HTTP endpoint URL ([exporters.otlp] endpoint) reaches the same Jaeger', async () => {
    const configFile = join(mkdtempSync(join(tmpdir(), 'otel-http-')), 'otel.toml');
    await writeFile(
      configFile,
      [
        '[exporters.otlp]',
        `endpoint = "${jaeger.tracesEndpoint}"`,
        '[processors.batch]',
        'schedule_delay_millis = 200',
        '[service]',
        'name = "apicast-otlp-http"',
      ].join('\n'),
    );
    const httpGateway = await startGatewayProcess({
      env: { OPENTELEMETRY: '1', OPENTELEMETRY_CONFIG: configFile },
      config: {
        services: [
          {
            id: 7,
            backend_version: '1',
            backend_authentication_type: 'service_token',
            backend_authentication_value: TOKEN,
            proxy: {
              hosts: ['http.test'],
              api_backend: upstream.url,
              backend: { endpoint: backend.url },
              proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
            },
          },
        ],
      },
    });
    try {
      upstream.requests.length = 0;
      const client = new Client(httpGateway.url);
      const response = await client.request({ method: 'GET', path: `/h?user_key=${USER_KEY}`, headers: { host: 'http.test' } });
      await response.body.text();
      await client.close();
      assert.equal(response.statusCode, 200);
      const traceId = TRACEPARENT.exec(String(upstream.requests[0]?.headers.traceparent))![1];
      const trace = await jaeger.waitForTrace(traceId, 3);
      assert.equal(trace.processes[trace.spans[0].processID].serviceName, 'apicast-otlp-http');
    } finally {
      await httpGateway.stop();
    }
  });
});
