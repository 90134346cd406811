import assert from 'node:assert/strict';
import { parseUpstream } from '../../src/upstream/upstream.js';
import { startForwardProxy, type ForwardProxy } from '../../test-support/forward-proxy.js';
import { startCamelProxy, type CamelProxy } from '../../test-support/policies/camel-proxy.js';
import { startSecureUpstream, type SecureUpstream } from '../../test-support/policies/secure-upstream.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { ProxyDispatchers } from './proxy-route.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

const dispatchers = new ProxyDispatchers();
const proxyRoute = dispatchers.route.bind(dispatchers);

describe('upstream requests through the policy proxy (policies.md §5.14, §5.5)', () => {
  let plain: UpstreamServer;
  let secure: SecureUpstream;
  let securePort: number;
  let proxy: ForwardProxy;
  let camel: CamelProxy;

  before(async () => {
    plain = await startUpstream();
    secure = await startSecureUpstream();
    securePort = secure.port;
    proxy = await startForwardProxy();
    camel = await startCamelProxy((await tlsMaterial()).server);
  });
  after(async () => {
    await dispatchers.close();
    await stopAll(proxy);
    await closeAll(camel, plain, secure);
  });

  it('http upstream: absolute-form request to the proxy, Host of the upstream kept', async () => {
    const upstream = parseUpstream(plain.url);
    const route = proxyRoute(proxy.url, upstream, '/items?x=1');
    const response = await route.dispatcher.request({
      origin: route.origin,
      path: route.path,
      method: 'GET',
      headers: { host: `127.0.0.1:${plain.port}` },
    });
    assert.equal(response.statusCode, 200);
    await response.body.dump();
    assert.deepEqual(proxy.requests.at(-1), { method: 'GET', target: `http://127.0.0.1:${plain.port}/items?x=1` });
    assert.equal(plain.received.at(-1)?.url, '/items?x=1');
    assert.equal(plain.received.at(-1)?.headers.host, `127.0.0.1:${plain.port}`);
    assert.equal(plain.received.at(-1)?.headers['x-forwarded-by-test-proxy'], '1', 'the request really went through the proxy');
  });

  it('https upstream: CONNECT tunnel, then TLS verified with the upstream itself', async () => {
    const { ca } = await tlsMaterial();
    const upstream = parseUpstream(`https://localhost:${securePort}`);
    const route = proxyRoute(proxy.url, upstream, '/secret?y=2', { tls: { rejectUnauthorized: true, ca: ca.cert } });
    const response = await route.dispatcher.request({ origin: route.origin, path: route.path, method: 'GET' });
    assert.equal(await response.body.text(), 'secure /secret?y=2 via-camel=no');
    assert.deepEqual(proxy.requests.at(-1), { method: 'CONNECT', target: `localhost:${securePort}` });
  });

  it('keeps one tunnel dispatcher per TLS material: equal-length CAs never share, equal ones reuse', () => {
    const upstream = parseUpstream(`https://localhost:${securePort}`);
    const caA = `-----BEGIN CERTIFICATE-----\n${'A'.repeat(64)}\n-----END CERTIFICATE-----\n`;
    const caB = caA.replace(/A/g, 'B');
    const a = proxyRoute(proxy.url, upstream, '/', { tls: { rejectUnauthorized: true, ca: caA } });
    const b = proxyRoute(proxy.url, upstream, '/', { tls: { rejectUnauthorized: true, ca: caB } });
    const again = proxyRoute(proxy.url, upstream, '/', { tls: { rejectUnauthorized: true, ca: caA } });
    assert.notEqual(a.dispatcher, b.dispatcher, 'a connection verified against one CA must not serve another');
    assert.equal(a.dispatcher, again.dispatcher, 'the same material reuses its connections');
  });

  it('camel: TLS with the proxy (SNI = upstream host) and an absolute https:// target, no CONNECT', async () => {
    const upstream = parseUpstream(`https://localhost:${securePort}`);
    const before = proxy.requests.length;
    const route = proxyRoute(camel.url, upstream, '/orders', { camel: true });
    const response = await route.dispatcher.request({ origin: route.origin, path: route.path, method: 'GET' });
    assert.equal(await response.body.text(), 'secure /orders via-camel=1');
    assert.deepEqual(camel.requests.at(-1), { method: 'GET', target: `https://localhost:${securePort}/orders`, servername: 'localhost' });
    assert.equal(proxy.requests.length, before);
  });

  it('camel with an http upstream behaves like http_proxy (absolute http:// target)', () => {
    const route = proxyRoute(camel.url, parseUpstream(plain.url), '/p', { camel: true });
    assert.equal(route.mode, 'absolute');
    assert.equal(route.path, `http://127.0.0.1:${plain.port}/p`);
  });
});
