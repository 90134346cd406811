/**
 * cloud_hosted.upstream on the real gateway: the service's requests go to the
 * policy's URL, not to its api_backend; in the cloud-hosted profile the
 * balancer blacklist still guards that connection (gateway.md §9.1).
 */
import assert from 'node:assert/strict';
import { send } from '../../test-support/http-client.js';
import { startOpsGateway, type OpsGateway } from '../../test-support/ops-gateway.js';
import { TestUpstream } from '../../test-support/upstream.js';

describe('cloud_hosted.upstream on the gateway', function () {
  this.timeout(60_000);
  let chosen: TestUpstream;
  let apiBackend: TestUpstream;
  let gateway: OpsGateway | undefined;
  beforeEach(async () => {
    chosen = await TestUpstream.start();
    apiBackend = await TestUpstream.start();
  });
  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
    await chosen.stop();
    await apiBackend.stop();
  });

  // Before apicast, as the original's docs ask: the first content handler that proxies wins.
  const config = (url: string) => ({
    services: [
      {
        id: 1,
        proxy: {
          hosts: ['saas.example.com'],
          api_backend: apiBackend.url,
          proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
          policy_chain: [{ name: 'cloud_hosted.upstream', configuration: { url } }, { name: 'apicast' }],
        },
      },
    ],
  });

  it('proxies to the configured URL instead of the api_backend', async () => {
    gateway = await startOpsGateway({ config: config(`${chosen.url}/base`) });
    const answer = await send(gateway.url, '/orders?user_key=k', { host: 'saas.example.com' });
    assert.equal(answer.status, 200);
    assert.equal(chosen.requests.length, 1);
    assert.equal(chosen.requests[0].url, '/base/orders?user_key=k');
    assert.equal(apiBackend.requests.length, 0);
  });

  it('in the cloud-hosted profile the blacklist applies to it (503 for loopback), unless whitelisted', async () => {
    const first = config(chosen.url);
    gateway = await startOpsGateway({ config: first, env: { APICAST_CLOUD_HOSTED: 'true' } });
    assert.equal((await send(gateway.url, '/?user_key=k', { host: 'saas.example.com' })).status, 503);
    assert.equal(chosen.requests.length, 0);
    gateway = await restartWith(gateway, first, { APICAST_CLOUD_HOSTED: 'true', APICAST_BALANCER_WHITELIST: '127.0.0.1/32' });
    assert.equal((await send(gateway.url, '/?user_key=k', { host: 'saas.example.com' })).status, 200);
    assert.equal(chosen.requests.length, 1);
  });
});

async function restartWith(previous: OpsGateway, config: unknown, env: Record<string, string>): Promise<OpsGateway> {
  await previous.stop();
  return startOpsGateway({ config, env });
}
