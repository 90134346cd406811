import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { startFakeDns, type FakeDns } from '../../test-support/fake-dns.js';
import { startForwardProxy, type ForwardProxy } from '../../test-support/forward-proxy.js';
import { selfSignedCertificate } from '../../test-support/tls-certificates.js';
import { recordingLog } from '../portal/log-sink.js';
import { DnsResolver, parseResolvConf } from './dns-resolver.js';
import { createOutbound } from './outbound.js';
import { isExcluded, proxyFor } from './proxy-selection.js';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('DNS resolver (gateway.md §10)', () => {
  let dns: FakeDns;
  let now = 1_000_000;
  beforeEach(async () => {
    dns = await startFakeDns();
    now = 1_000_000;
  });
  afterEach(() => dns.stop());

  const resolver = (resolvConf = '') =>
    new DnsResolver({
      resolver: dns.address,
      resolvConf,
      hostsFile: '127.0.0.1 localhost\n',
      log: recordingLog(),
      now: () => now,
      timeoutMs: 300,
    });

  it('asks RESOLVER, caches answers for their TTL, serves stale while refreshing and keeps the last answer when the name stops resolving', async () => {
    dns.set('api.example.test', ['10.1.0.1', '10.1.0.2'], 30);
    const r = resolver();
    assert.deepEqual(await r.resolve('api.example.test'), ['10.1.0.1', '10.1.0.2']);
    await r.resolve('API.example.test');
    assert.equal(dns.questions.length, 1, 'second lookup within the TTL is served from the cache');
    assert.equal(r.snapshot()['api.example.test'].expires_in, 30);

    now += 31_000; // expired
    dns.set('api.example.test', ['10.1.0.3'], 30);
    assert.deepEqual(await r.resolve('api.example.test'), ['10.1.0.1', '10.1.0.2'], 'stale answer served at once');
    await sleep(100);
    assert.deepEqual(await r.resolve('api.example.test'), ['10.1.0.3'], 'then the refreshed one');

    now += 31_000;
    dns.silent = true;
    assert.deepEqual(await r.resolve('api.example.test'), ['10.1.0.3']);
    await sleep(500); // the refresh times out
    assert.deepEqual(await r.resolve('api.example.test'), ['10.1.0.3'], 'last good answer kept while the name is unresolvable');
  });

  it('honours search domains, /etc/hosts and IP literals; an unknown name fails', async () => {
    dns.set('backend.svc.test', ['10.2.0.1']);
    const r = resolver('nameserver 127.0.0.9\nsearch svc.test\n');
    assert.deepEqual(await r.resolve('backend'), ['10.2.0.1']);
    assert.deepEqual(await r.resolve('localhost'), ['127.0.0.1']);
    assert.deepEqual(await r.resolve('192.0.2.7'), ['192.0.2.7']);
    await assert.rejects(r.resolve('nowhere.test'), /nowhere\.test could not be resolved/);
    assert.deepEqual(parseResolvConf('nameserver 1.1.1.1\n# c\nsearch a b\n'), { nameservers: ['1.1.1.1'], search: ['a', 'b'] });
  });

  it('is what undici connects through (connect.lookup)', async () => {
    const server = createHttpServer((_req, res) => res.end('reached'));
    const port = await listen(server);
    dns.set('upstream.example.test', ['127.0.0.1'], 60);
    const outbound = createOutbound({
      resolver: dns.address,
      ownResolver: true,
      httpProxy: undefined,
      httpsProxy: undefined,
      allProxy: undefined,
      noProxy: undefined,
    });
    const { Agent } = await import('undici');
    const agent = new Agent({ connect: { lookup: outbound.lookup } });
    try {
      const response = await request(`http://upstream.example.test:${port}/`, { dispatcher: agent });
      assert.equal(await response.body.text(), 'reached');
      assert.ok(dns.questions.includes('upstream.example.test'));
    } finally {
      await agent.close();
      server.close();
    }
  });
});

describe('outbound proxies (HTTP_PROXY / HTTPS_PROXY / NO_PROXY)', () => {
  let proxy: ForwardProxy;
  beforeEach(async () => {
    proxy = await startForwardProxy();
  });
  afterEach(() => proxy.stop());

  it('chooses the proxy per scheme and honours NO_PROXY', () => {
    const env = {
      httpProxy: 'http://p:1',
      httpsProxy: 'http://ps:2',
      allProxy: 'http://all:3',
      noProxy: '.internal.test,direct.test,localhost:9000',
    };
    assert.equal(proxyFor(new URL('http://api.test/'), env), 'http://p:1');
    assert.equal(proxyFor(new URL('https://api.test/'), env), 'http://ps:2');
    assert.equal(proxyFor(new URL('https://a.internal.test/'), env), undefined);
    assert.equal(proxyFor(new URL('http://direct.test/'), env), undefined);
    assert.equal(proxyFor(new URL('http://sub.direct.test/'), env), undefined);
    assert.equal(proxyFor(new URL('http://localhost:9000/'), env), undefined);
    assert.equal(proxyFor(new URL('http://localhost:9001/'), env), 'http://p:1');
    assert.equal(proxyFor(new URL('http://api.test/'), { ...env, httpProxy: undefined }), 'http://all:3');
    assert.equal(isExcluded('anything', 80, '*'), true);
  });

  it('NO_PROXY: IP addresses, host:port, IPv6 bare and bracketed with a port, case and spaces', () => {
    assert.equal(isExcluded('10.0.0.7', 443, '10.0.0.7'), true);
    assert.equal(isExcluded('10.0.0.70', 443, '10.0.0.7'), false, 'an IP is not a suffix');
    assert.equal(isExcluded('10.0.0.7', 8080, ' 10.0.0.7:8080 '), true);
    assert.equal(isExcluded('10.0.0.7', 8081, '10.0.0.7:8080'), false);
    assert.equal(isExcluded('::1', 80, '::1'), true);
    assert.equal(isExcluded('[::1]', 80, '::1'), true);
    assert.equal(isExcluded('::1', 8080, '[::1]:8080'), true);
    assert.equal(isExcluded('::1', 8081, '[::1]:8080'), false);
    assert.equal(isExcluded('API.Example.COM', 443, '.example.com'), true);
    assert.equal(isExcluded('example.com', 443, '.example.com'), true);
    assert.equal(isExcluded('notexample.com', 443, 'example.com'), false);
    assert.equal(isExcluded('backend.example.com', 443, 'example.com:443'), true);
    assert.equal(isExcluded('backend.example.com', 80, 'example.com:443'), false);
  });

  it('sends http traffic as absolute-URI requests and https traffic through a CONNECT tunnel', async () => {
    const plain = createHttpServer((req, res) =>
      res.end(`plain ${req.url ?? ''} via-proxy=${String(req.headers['x-forwarded-by-test-proxy'] ?? 'no')}`),
    );
    const plainPort = await listen(plain);
    const certificate = await selfSignedCertificate('127.0.0.1');
    const secure = createHttpsServer({ cert: certificate.cert, key: certificate.key }, (req, res) => res.end(`secure ${req.url}`));
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    const securePort = (secure.address() as AddressInfo).port;
    const outbound = createOutbound({
      resolver: undefined,
      ownResolver: false,
      httpProxy: proxy.url,
      httpsProxy: proxy.url,
      allProxy: undefined,
      noProxy: undefined,
    });
    try {
      const httpUrl = `http://127.0.0.1:${plainPort}/hello?x=1`;
      let response = await request(httpUrl, { dispatcher: outbound.dispatcherFor(httpUrl) });
      assert.equal(await response.body.text(), 'plain /hello?x=1 via-proxy=1');
      const httpsUrl = `https://127.0.0.1:${securePort}/tunnel`;
      response = await request(httpsUrl, { dispatcher: outbound.dispatcherFor(httpsUrl) });
      assert.equal(await response.body.text(), 'secure /tunnel');
      assert.deepEqual(proxy.requests, [
        { method: 'GET', target: httpUrl },
        { method: 'CONNECT', target: `127.0.0.1:${securePort}` },
      ]);
      const direct = createOutbound({
        resolver: undefined,
        ownResolver: false,
        httpProxy: proxy.url,
        httpsProxy: undefined,
        allProxy: undefined,
        noProxy: '127.0.0.1',
      });
      assert.equal(direct.dispatcherFor(httpUrl), undefined, 'NO_PROXY host goes direct');
    } finally {
      await outbound.close();
      plain.close();
      secure.close();
    }
  });
});
