import assert from 'node:assert/strict';
import { buildTestChain, buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import type { GetHttpProxy } from './proxy-urls.js';

async function selector(name: string, configuration: Record<string, unknown>): Promise<GetHttpProxy> {
  const chain = await buildTestChain([{ name, configuration }]);
  return chain.exports['get_http_proxy'] as GetHttpProxy;
}

describe('http_proxy and camel proxy selection (policies.md §5.14, §5.5)', () => {
  it('uses the protocol-specific proxy, falling back to all_proxy', async () => {
    const get = await selector('http_proxy', { all_proxy: 'http://all:3128', https_proxy: 'http://secure:3128' });
    assert.equal(get({ scheme: 'https' }), 'http://secure:3128');
    assert.equal(get({ scheme: 'http' }), 'http://all:3128');
  });

  it('goes direct for a scheme without a proxy', async () => {
    const get = await selector('http_proxy', { http_proxy: 'http://p:1' });
    assert.equal(get({ scheme: 'https' }), undefined);
  });

  it('camel exports the same selector and marks requests to skip CONNECT', async () => {
    const get = await selector('camel', { https_proxy: 'http://camel:8080' });
    assert.equal(get({ scheme: 'https' }), 'http://camel:8080');
    const policy = await buildPolicy('camel', { https_proxy: 'http://camel:8080' });
    const ctx = testContext();
    await policy.access!(ctx);
    assert.equal(ctx.shared['skip_https_connect_on_proxy'], true);
  });

  it('accepts a proxy URL with user:password@ (sent as Basic Proxy-Authorization)', async () => {
    const get = await selector('camel', { all_proxy: 'http://user:pw@p:1' });
    assert.equal(get({ scheme: 'http' }), 'http://user:pw@p:1');
  });

  it('refuses proxies it cannot use, naming the field', async () => {
    await assert.rejects(buildPolicy('http_proxy', { https_proxy: 'https://p:1' }), /https_proxy: only http:\/\//);
    await assert.rejects(buildPolicy('http_proxy', { http_proxy: 'not a url' }), /http_proxy: "not a url" is not a URL/);
  });
});
