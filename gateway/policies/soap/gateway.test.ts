import assert from 'node:assert/strict';
import { request } from 'undici';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

describe('soap through the real gateway and a fake 3scale backend', function () {
  let upstream: UpstreamServer;
  let backend: FakeBackend;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startUpstream();
    backend = await FakeBackend.start({ serviceTokens: { '42': 'service-token' }, applications: [{ user_key: 'uk' }] });
    const configuration = serviceConfiguration(
      [
        { name: 'soap', configuration: { mapping_rules: [{ pattern: '/ws/orders', metric_system_name: 'orders', delta: 3 }] } },
        { name: 'apicast' },
      ],
      upstream.url,
      {
        backend: { endpoint: backend.url, host: 'backend' },
        proxy_rules: [{ http_method: 'POST', pattern: '/', metric_system_name: 'hits', delta: 1 }],
      },
    ) as { services: Record<string, unknown>[] };
    Object.assign(configuration.services[0], {
      backend_authentication_type: 'service_token',
      backend_authentication_value: 'service-token',
    });
    gateway = await startGateway(configuration);
  });
  after(async () => {
    await stopAll(gateway, backend);
    await closeAll(upstream);
  });

  it('adds the usage of the SOAP action to the mapping-rule usage sent to 3scale', async () => {
    const response = await request(`${gateway.url}/soap?user_key=uk`, {
      method: 'POST',
      headers: { host: 'localhost', 'content-type': 'text/xml', soapaction: '"http://example.com/ws/orders"' },
      body: '<Envelope/>',
    });
    assert.equal(response.statusCode, 200, await response.body.text());
    await backend.waitForCalls(1);
    const call = backend.calls.find((c) => c.kind === 'authrep' || c.kind === 'report')!;
    const params = call.kind === 'report' ? call.body : call.query;
    const usage = new URLSearchParams(params);
    assert.equal(usage.get('usage[hits]') ?? usage.get('transactions[0][usage][hits]'), '1');
    assert.equal(usage.get('usage[orders]') ?? usage.get('transactions[0][usage][orders]'), '3');
  });
});
