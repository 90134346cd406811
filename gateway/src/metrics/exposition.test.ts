import assert from 'node:assert/strict';
import { createGatewayMetrics } from './gateway-metrics.js';
import { toGatewayExposition } from './exposition.js';

describe('metrics exposition (gateway.md §7)', () => {
  it('prints only metrics that received a value, the library error counter always, le last and buckets in order', async () => {
    const metrics = createGatewayMetrics({ extendedMetrics: true, errorLogLevel: 'warn' });
    metrics.hooks.requestFinished({
      status: 200,
      totalTime: 0.012,
      upstreamStatus: 201,
      upstreamTime: 0.004,
      serviceId: '42',
      serviceSystemName: 'api',
    });
    metrics.hooks.requestFinished({
      status: 404,
      totalTime: 0.001,
      upstreamStatus: undefined,
      upstreamTime: undefined,
      serviceId: undefined,
      serviceSystemName: undefined,
    });
    metrics.hooks.backendCall('authrep', 200);
    metrics.hooks.backendCall('authrep', 0);
    metrics.hooks.policyLoadError('no_such_policy');
    metrics.hooks.logLine!('warn');
    metrics.hooks.logLine!('info'); // below NGINX_METRICS_LOG_LEVEL=warn: not counted
    metrics.workerProcess.inc();
    const text = toGatewayExposition(await metrics.registry.metrics());

    assert.match(text, /^nginx_metric_errors_total 0$/m);
    assert.doesNotMatch(
      text,
      /batching_policy_auths_cache_hits|content_caching|cloud_hosted_balancer/,
      'never-used metrics are not printed',
    );
    assert.match(text, /^apicast_status\{status="200"\} 1$/m);
    assert.match(text, /^apicast_status\{status="404"\} 1$/m);
    assert.match(text, /^upstream_status\{status="201",service_id="42",service_system_name="api"\} 1$/m);
    assert.match(text, /^total_response_time_seconds_bucket\{service_id="42",service_system_name="api",le="0.02"\} 1$/m);
    assert.match(text, /^total_response_time_seconds_bucket\{service_id="",service_system_name="",le="\+Inf"\} 1$/m);
    assert.match(text, /^threescale_backend_calls\{endpoint="authrep",status="2xx"\} 1$/m);
    assert.match(text, /^threescale_backend_calls\{endpoint="authrep",status="invalid_status"\} 1$/m);
    assert.match(text, /^apicast_policy_load_errors_total\{policy="no_such_policy"\} 1$/m);
    assert.match(text, /^nginx_error_log\{level="warn"\} 1$/m);
    assert.doesNotMatch(text, /level="info"/);
    assert.match(text, /^worker_process\{\} 1$/m);
    assert.match(text, /# HELP total_response_time_seconds Time needed to send a response to the client \(in seconds\)\./);
    const les = [...text.matchAll(/^total_response_time_seconds_bucket\{service_id="42",service_system_name="api",le="([^"]+)"/gm)].map(
      (m) => m[1],
    );
    assert.deepEqual(les, [
      '0.005',
      '0.01',
      '0.02',
      '0.03',
      '0.05',
      '0.075',
      '0.1',
      '0.2',
      '0.3',
      '0.4',
      '0.5',
      '0.75',
      '1',
      '1.5',
      '2',
      '3',
      '4',
      '5',
      '10',
      '+Inf',
    ]);
  });

  it('without APICAST_EXTENDED_METRICS the service labels are present and empty', async () => {
    const metrics = createGatewayMetrics({ extendedMetrics: false, errorLogLevel: 'error' });
    metrics.hooks.requestFinished({
      status: 200,
      totalTime: 0.01,
      upstreamStatus: 200,
      upstreamTime: 0.01,
      serviceId: '42',
      serviceSystemName: 'api',
    });
    const text = toGatewayExposition(await metrics.registry.metrics());
    assert.match(text, /^upstream_status\{status="200",service_id="",service_system_name=""\} 1$/m);
    assert.doesNotMatch(text, /service_id="42"/);
  });
});
