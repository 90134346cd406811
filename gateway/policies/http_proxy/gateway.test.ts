/**
 * http_proxy and camel through the real gateway: the service's forward proxy
 * carries its upstream traffic, winning over HTTP_PROXY and ignoring NO_PROXY
 * (policies.md §5.14, §5.5; gateway.md §4.9).
 */
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startForwardProxy, type ForwardProxy } from '../../test-support/forward-proxy.js';
import { startCamelProxy, type CamelProxy } from '../../test-support/policies/camel-proxy.js';
import { startSecureUpstream, type SecureUpstream } from '../../test-support/policies/secure-upstream.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { startGateway, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

function service(id: number, host: string, chain: unknown[], upstreamUrl: string): Record<string, unknown> {
  return {
    id,
    backend_version: '1',
    proxy: {
      hosts: [host],
      api_backend: upstreamUrl,
      proxy_rules: [],
      policy_chain: [...chain, { name: 'upstream', configuration: { rules: [{ regex: '/', url: upstreamUrl }] } }],
    },
  };
}

describe('forward proxies chosen by policies, through the real gateway', function () {
  this.timeout(60_000);
  let plain: UpstreamServer;
  let secure: SecureUpstream;
  let secureUrl: string;
  let policyProxy: ForwardProxy;
  let envProxy: ForwardProxy;
  let camel: CamelProxy;
  let gateway: RunningGateway;

  before(async () => {
    plain = await startUpstream();
    secure = await startSecureUpstream();
    secureUrl = secure.url;
    policyProxy = await startForwardProxy();
    envProxy = await startForwardProxy();
    camel = await startCamelProxy((await tlsMaterial()).server);
    gateway = await startGateway(
      {
        services: [
          service(
            1,
            'proxied.test',
            [{ name: 'http_proxy', configuration: { http_proxy: policyProxy.url, https_proxy: policyProxy.url } }],
            plain.url,
          ),
          service(2, 'proxied-tls.test', [{ name: 'http_proxy', configuration: { all_proxy: policyProxy.url } }], secureUrl),
          service(3, 'camel.test', [{ name: 'camel', configuration: { https_proxy: camel.url } }], secureUrl),
          service(4, 'env.test', [], plain.url),
        ],
      },
      { env: { HTTP_PROXY: envProxy.url, HTTPS_PROXY: envProxy.url, NO_PROXY: '127.0.0.1,localhost' } },
    );
  });
  after(async () => {
    await stopAll(gateway, policyProxy, envProxy);
    await closeAll(camel, plain, secure);
  });

  async function get(host: string, path: string): Promise<{ status: number; body: string }> {
    const response = await request(`${gateway.url}${path}`, { headers: { host } });
    return { status: response.statusCode, body: await response.body.text() };
  }

  it('http upstream: absolute-form request to the policy proxy although NO_PROXY lists the upstream', async () => {
    const before = policyProxy.requests.length;
    const answer = await get('proxied.test', '/items?a=1');
    assert.equal(answer.status, 200);
    assert.equal((JSON.parse(answer.body) as { url: string }).url, '/items?a=1');
    assert.deepEqual(policyProxy.requests.slice(before), [{ method: 'GET', target: `${plain.url}/items?a=1` }]);
    assert.equal(plain.received.at(-1)?.headers['x-forwarded-by-test-proxy'], '1');
    assert.equal(envProxy.requests.length, 0, 'the environment proxy is not used');
  });

  it('https upstream: CONNECT tunnel through the policy proxy, TLS with the upstream', async () => {
    const before = policyProxy.requests.length;
    const answer = await get('proxied-tls.test', '/s');
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'secure /s via-camel=no');
    assert.deepEqual(
      policyProxy.requests.slice(before).map((r) => r.method),
      ['CONNECT'],
    );
    assert.equal(policyProxy.requests.at(-1)!.target, secureUrl.slice('https://'.length));
  });

  it('camel: TLS with the proxy and an absolute https:// target, no CONNECT', async () => {
    const answer = await get('camel.test', '/c?x=2');
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'secure /c?x=2 via-camel=1');
    assert.deepEqual(
      camel.requests.map((r) => [r.method, r.target]),
      [['GET', `${secureUrl}/c?x=2`]],
    );
  });

  it('without a policy proxy, NO_PROXY still keeps the upstream direct', async () => {
    const before = policyProxy.requests.length;
    assert.equal((await get('env.test', '/direct')).status, 200);
    assert.equal(policyProxy.requests.length, before);
    assert.equal(envProxy.requests.length, 0);
  });
});
