/**
 * The mapping-service's metrics listener (gateway.md §9.2: port 9421, ours
 * APICAST_METRICS_PORT): APIcast's process-level metrics and its own answers.
 */
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startProcess } from '../../../test/support/process.js';
import { freePorts } from '../../../test/support/ports.js';
import { startFakePortal } from '../../test-support/fake-portal.js';
import { APICAST_BIN, REPO_ROOT } from '../../test-support/gateway-process.js';
import { send } from '../../test-support/http-client.js';

describe('mapping-service metrics (gateway.md §9.2)', function () {
  this.timeout(60_000);

  it('serves GET /metrics on APICAST_METRICS_PORT with connections, worker_process and the status of its answers', async () => {
    const providerId = '2445581436380';
    const host = `api-${providerId}.production.gw.apicast.io`;
    const portal = await startFakePortal({ accessToken: 'master-token', accounts: { [providerId]: '127.0.0.1' } });
    portal.publish({ id: 11, proxy: { hosts: [host], api_backend: 'http://127.0.0.1:1' } }, 'production');
    const [port, metricsPort] = await freePorts(2);
    const mapping = await startProcess({
      name: `mapping-service:${port}`,
      command: process.execPath,
      args: [APICAST_BIN, 'mapping-service'],
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        MAPPING_SERVICE_PORT: String(port),
        APICAST_METRICS_PORT: String(metricsPort),
        API_HOST: `http://127.0.0.1:${portal.port}`,
        MASTER_ACCESS_TOKEN: 'master-token',
      },
      ready: async () => {
        const r = await request(`http://127.0.0.1:${metricsPort}/metrics`);
        await r.body.dump();
        return r.statusCode === 200;
      },
    });
    try {
      const service = `http://127.0.0.1:${port}`;
      assert.equal((await send(service, `/config/production.json?host=${host}`)).status, 200);
      assert.equal((await send(service, '/config/production.json')).status, 404);
      assert.equal((await send(service, '/config/production.json?host=api-1.production.gw.apicast.io')).status, 404);

      const response = await send(`http://127.0.0.1:${metricsPort}`, '/metrics');
      assert.equal(response.status, 200);
      assert.match(String(response.headers['content-type']), /^text\/plain/);
      const text = response.body;
      assert.match(text, /^apicast_status\{status="200"\} 1$/m);
      assert.match(text, /^apicast_status\{status="404"\} 2$/m);
      assert.match(text, /^total_response_time_seconds_count\{service_id="",service_system_name=""\} 3$/m);
      assert.match(text, /^worker_process\{\} 1$/m);
      assert.match(text, /^nginx_metric_errors_total 0$/m);
      assert.match(text, /^nginx_http_connections\{state="accepted"\} [1-9]\d*$/m);
      assert.match(
        text,
        /^nginx_http_connections\{state="total"\} 3$/m,
        'three requests on the service port (the metrics port is not counted)',
      );
      assert.doesNotMatch(text, /master-token/);
      assert.equal((await send(`http://127.0.0.1:${metricsPort}`, '/other')).status, 404);
    } finally {
      await mapping.stop();
      await portal.stop();
    }
  });
});
