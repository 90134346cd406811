/**
 * Metrics of a running gateway (gateway.md §7) on APICAST_METRICS_PORT:
 * what counts (proxy requests only), the extended labels, backend calls,
 * dropped unknown policies.
 */
import assert from 'node:assert/strict';
import { send } from '../../test-support/http-client.js';
import { startOpsGateway, type OpsGateway } from '../../test-support/ops-gateway.js';
import { TestUpstream } from '../../test-support/upstream.js';

describe('gateway metrics (gateway.md §7)', function () {
  this.timeout(60_000);
  let upstream: TestUpstream;
  let gateway: OpsGateway | undefined;
  beforeEach(async () => {
    upstream = await TestUpstream.start();
  });
  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
    await upstream.stop();
  });

  it('counts proxy requests (not healthz, management or metrics), with extended labels, backend calls and dropped policies', async () => {
    upstream.handler = (_req, res) => {
      res.writeHead(201);
      res.end('created');
    };
    const config = {
      services: [
        {
          id: 42,
          system_name: 'orders',
          proxy: {
            hosts: ['m.example.com'],
            api_backend: upstream.url,
            proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
          },
        },
        {
          id: 43,
          proxy: { hosts: ['drop.example.com'], api_backend: upstream.url, policy_chain: [{ name: 'no_such_policy' }, { name: 'echo' }] },
        },
      ],
    };
    gateway = await startOpsGateway({ config, env: { APICAST_EXTENDED_METRICS: 'true', APICAST_MANAGEMENT_API: 'debug' } });
    // An error-log line: a pushed configuration the gateway rejects.
    assert.equal(
      (
        await send(gateway.management, '/config', {
          method: 'POST',
          body: '{"services":[{"id":1,"proxy":{"policy_chain":[{"name":"echo","configuration":{"status":"x"}}]}}]}',
        })
      ).status,
      400,
    );
    assert.equal((await send(gateway.url, '/?user_key=k', { host: 'm.example.com' })).status, 201);
    assert.equal((await send(gateway.url, '/', { host: 'm.example.com' })).status, 401);
    assert.equal((await send(gateway.url, '/', { host: 'unknown.example.com' })).status, 404);
    assert.equal((await send(gateway.url, '/_threescale/healthz')).status, 200);
    await send(gateway.management, '/status/ready');
    await send(gateway.metrics, '/metrics');

    const response = await send(gateway.metrics, '/metrics');
    assert.equal(response.status, 200);
    assert.match(String(response.headers['content-type']), /^text\/plain/);
    const text = response.body;
    assert.match(text, /^apicast_status\{status="201"\} 1$/m);
    assert.match(text, /^apicast_status\{status="401"\} 1$/m);
    assert.match(text, /^apicast_status\{status="404"\} 1$/m);
    assert.doesNotMatch(text, /^apicast_status\{status="200"\}/m, 'healthz, management and metrics requests are not counted');
    assert.match(text, /^upstream_status\{status="201",service_id="42",service_system_name="orders"\} 1$/m);
    assert.match(text, /^total_response_time_seconds_count\{service_id="42",service_system_name="orders"\} 2$/m);
    assert.match(text, /^total_response_time_seconds_count\{service_id="",service_system_name=""\} 1$/m, 'no service: empty labels');
    assert.match(text, /^upstream_response_time_seconds_bucket\{service_id="42",service_system_name="orders",le="\+Inf"\} 1$/m);
    assert.match(text, /^threescale_backend_calls\{endpoint="authrep",status="2xx"\} 1$/m);
    assert.match(text, /^apicast_policy_load_errors_total\{policy="no_such_policy"\} 1$/m);
    assert.match(text, /^worker_process\{\} 1$/m);
    assert.match(text, /^nginx_metric_errors_total 0$/m);
    assert.match(text, /^nginx_error_log\{level="error"\} [1-9]\d*$/m, 'error-log lines are counted');
    assert.doesNotMatch(text, /nginx_error_log\{level="info"\}/, 'below NGINX_METRICS_LOG_LEVEL (error): not counted');
    assert.match(text, /^nginx_http_connections\{state="accepted"\} \d+$/m);
    assert.equal((await send(gateway.metrics, '/other')).status, 404);
  });
});
