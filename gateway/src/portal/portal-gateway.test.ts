/**
 * The gateway configured from the portal (gateway.md §1.2, §2, §5): boot
 * with a refresh timer, lazy per host, the staging and production defaults,
 * and every way a reload can go wrong while the last good configuration
 * keeps serving.
 */
import assert from 'node:assert/strict';
import { FakePortal, startFakePortal } from '../../test-support/fake-portal.js';
import { send } from '../../test-support/http-client.js';
import { eventually, startOpsGateway, type OpsGateway } from '../../test-support/ops-gateway.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { selfSignedCertificate } from '../../test-support/tls-certificates.js';

const service = (id: number, host: string, upstream: string, extra: Record<string, unknown> = {}) => ({
  id,
  system_name: `svc_${id}`,
  backend_version: '1',
  proxy: {
    hosts: [host],
    api_backend: upstream,
    proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
    ...extra,
  },
});

const call = (gateway: OpsGateway, host: string, path = '/hello?user_key=k') => send(gateway.url, path, { host });

describe('configuration from the portal (gateway.md §2, §5)', function () {
  this.timeout(60_000);
  let portal: FakePortal;
  let upstream: TestUpstream;
  let gateway: OpsGateway | undefined;

  beforeEach(async () => {
    portal = await startFakePortal();
    upstream = await TestUpstream.start();
  });
  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
    await portal.stop();
    await upstream.stop();
  });

  it('production default: boot loads the whole account before serving, with the token as Basic auth', async () => {
    portal.publish(service(1, 'one.example.com', upstream.url));
    portal.publish(service(2, 'two.example.com', upstream.url));
    gateway = await startOpsGateway({ env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint() } });
    assert.equal((await call(gateway, 'one.example.com')).status, 200);
    assert.equal((await call(gateway, 'two.example.com')).status, 200);
    assert.equal(upstream.requests.length, 2);
    assert.deepEqual(
      portal.requests.map((r) => [r.path, r.query]),
      [['/admin/api/account/proxy_configs/production.json', { version: 'latest', page: '1', per_page: '500' }]],
      'one page of the account endpoint',
    );
    assert.equal(portal.requests[0].headers.authorization, `Basic ${Buffer.from(`${portal.accessToken}:`).toString('base64')}`);
    assert.match(String(portal.requests[0].headers['user-agent']), /^APIcast\/.* env:production\) APIcast\/builtin$/);
    assert.doesNotMatch(gateway.process.logs(), new RegExp(portal.accessToken), 'the portal token never appears in the logs');
  });

  it('boot refreshes every APICAST_CONFIGURATION_CACHE seconds; garbage, 5xx, an invalid configuration and a dead portal keep the last good one', async () => {
    portal.publish(service(1, 'one.example.com', upstream.url));
    gateway = await startOpsGateway({ env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint(), APICAST_CONFIGURATION_CACHE: '1' } });
    const g = gateway;
    assert.equal((await call(g, 'new.example.com')).status, 404);

    portal.publish(service(1, 'new.example.com', upstream.url));
    await eventually(async () => (await call(g, 'new.example.com')).status === 200, 10_000, 'refreshed configuration');

    for (const [mode, reason] of [
      ['garbage', /invalid JSON/],
      ['error', /invalid status: 503/],
    ] as const) {
      portal.mode = mode;
      await eventually(() => reason.test(g.process.logs()), 10_000, `refresh failure (${mode}) logged`);
      assert.equal((await call(g, 'new.example.com')).status, 200, `still serving after ${mode}`);
    }
    portal.mode = 'ok';
    portal.publish(
      service(1, 'bad.example.com', upstream.url, { policy_chain: [{ name: 'echo', configuration: { status: 'not a number' } }] }),
    );
    await eventually(
      () => /failed to update configuration: .*policy_chain\[0\]\.configuration.*echo/.test(g.process.logs()),
      10_000,
      'invalid configuration logged',
    );
    assert.equal((await call(g, 'new.example.com')).status, 200, 'the last good configuration keeps serving');
    assert.equal((await call(g, 'bad.example.com')).status, 404, 'the invalid one was not stored');

    await portal.stop();
    await eventually(() => /failed to update configuration: .*ECONNREFUSED/.test(g.process.logs()), 15_000, 'portal down logged');
    assert.equal((await call(g, 'new.example.com')).status, 200);
    portal = await startFakePortal(); // for afterEach
  });

  it('SIGHUP and POST /boot download the portal configuration again at once (production cache of 300 s)', async () => {
    portal.publish(service(1, 'one.example.com', upstream.url));
    gateway = await startOpsGateway({ env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint(), APICAST_MANAGEMENT_API: 'debug' } });
    const g = gateway;
    portal.publish(service(1, 'hup.example.com', upstream.url));
    g.process.signal('SIGHUP');
    await eventually(async () => (await call(g, 'hup.example.com')).status === 200, 10_000, 'configuration reloaded on SIGHUP');
    portal.publish(service(2, 'boot.example.com', upstream.url));
    const boot = await send(g.management, '/boot', { method: 'POST' });
    assert.equal(boot.status, 200);
    assert.equal((JSON.parse(boot.body) as { status: string }).status, 'ok');
    assert.equal((await call(g, 'boot.example.com')).status, 200);
  });

  it('boot exits 1 when the portal cannot be loaded, and exits 0 when the cache is 0', async () => {
    portal.mode = 'error';
    const failing = await startOpsGateway({
      env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint(), APICAST_CONFIGURATION_TIMEOUT: '0' },
      waitFor: 'none',
    });
    await failing.process.waitForExit();
    assert.equal(failing.process.describeExit(), 'exited with code 1');
    assert.match(failing.process.logs(), /failed to load configuration, exiting: .*invalid status: 503/);

    const noCache = await startOpsGateway({
      env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint(), APICAST_CONFIGURATION_CACHE: '0' },
      waitFor: 'none',
    });
    await noCache.process.waitForExit();
    assert.equal(noCache.process.describeExit(), 'exited with code 0');
    assert.match(noCache.process.logs(), /cache is off, cannot store configuration, exiting/);
  });

  it('staging default: lazy, fetched on every request (cache 0), and a failed fetch keeps serving that host', async () => {
    portal.publish(service(7, 'lazy.example.com', upstream.url), 'staging');
    gateway = await startOpsGateway({ env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint(), THREESCALE_DEPLOYMENT_ENV: 'staging' } });
    const ready = await send(gateway.management, '/status/ready');
    assert.deepEqual(JSON.parse(ready.body), { status: 'warning', warning: 'no services', success: true });
    assert.equal(portal.requests.length, 0, 'nothing fetched before a request');

    assert.equal((await call(gateway, 'lazy.example.com')).status, 200);
    assert.equal((await call(gateway, 'lazy.example.com')).status, 200);
    assert.deepEqual(
      portal.requests.map((r) => [r.path, r.query.host]),
      [
        ['/admin/api/account/proxy_configs/staging.json', 'lazy.example.com'],
        ['/admin/api/account/proxy_configs/staging.json', 'lazy.example.com'],
      ],
      'cache 0: one fetch per request',
    );

    portal.mode = 'error';
    assert.equal((await call(gateway, 'lazy.example.com')).status, 200, 'last good configuration of the host');
    const g = gateway;
    await eventually(
      () => /failed to load configuration for host lazy\.example\.com/.test(g.process.logs()),
      10_000,
      'failed fetch logged',
    );
  });

  it("lazy with cache 0: the host's fresh answer replaces what it had, so a service removed from the portal stops answering (gateway.md §5.2)", async () => {
    portal.publish(service(7, 'gone.example.com', upstream.url), 'staging');
    portal.publish(service(8, 'stays.example.com', upstream.url), 'staging');
    gateway = await startOpsGateway({ env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint(), THREESCALE_DEPLOYMENT_ENV: 'staging' } });
    assert.equal((await call(gateway, 'gone.example.com')).status, 200);
    assert.equal((await call(gateway, 'stays.example.com')).status, 200);
    portal.remove(7);
    const removed = await call(gateway, 'gone.example.com');
    assert.equal(removed.status, 404, 'the portal no longer has a service for this host');
    assert.equal((await call(gateway, 'stays.example.com')).status, 200, 'the other host keeps its service');
    portal.publish(service(7, 'gone.example.com', upstream.url), 'staging');
    assert.equal((await call(gateway, 'gone.example.com')).status, 200, 'published again: served again');
  });

  it('lazy with a cache TTL fetches a host once per TTL (with APICAST_LOAD_SERVICES_WHEN_NEEDED too: the account endpoint by host)', async () => {
    portal.publish(service(3, 'a.example.com', upstream.url));
    portal.publish(service(4, 'b.example.com', upstream.url));
    gateway = await startOpsGateway({
      env: {
        THREESCALE_PORTAL_ENDPOINT: portal.endpoint(),
        APICAST_CONFIGURATION_LOADER: 'lazy',
        APICAST_CONFIGURATION_CACHE: '60',
        APICAST_LOAD_SERVICES_WHEN_NEEDED: 'true',
      },
    });
    for (let i = 0; i < 3; i++) assert.equal((await call(gateway, 'a.example.com')).status, 200);
    assert.equal((await call(gateway, 'b.example.com')).status, 200);
    assert.deepEqual(
      portal.requests.map((r) => [r.path, r.query.host]),
      [
        ['/admin/api/account/proxy_configs/production.json', 'a.example.com'],
        ['/admin/api/account/proxy_configs/production.json', 'b.example.com'],
      ],
    );
  });

  it('APICAST_SERVICES_LIST and APICAST_SERVICE_<ID>_CONFIGURATION_VERSION pick what is fetched', async () => {
    portal.publish(service(5, 'v1.example.com', upstream.url));
    portal.publish(service(5, 'v2.example.com', upstream.url));
    portal.publish(service(6, 'six.example.com', upstream.url));
    gateway = await startOpsGateway({
      env: {
        THREESCALE_PORTAL_ENDPOINT: portal.endpoint(),
        APICAST_SERVICES_LIST: '5',
        APICAST_SERVICE_5_CONFIGURATION_VERSION: '1',
      },
    });
    assert.equal((await call(gateway, 'v1.example.com')).status, 200);
    assert.equal((await call(gateway, 'v2.example.com')).status, 404);
    assert.equal((await call(gateway, 'six.example.com')).status, 404);
    assert.deepEqual(
      portal.requests.map((r) => r.path),
      ['/admin/api/services/5/proxy/configs/production/1.json'],
    );
  });

  it('APICAST_SERVICES_FILTER_BY_URL keeps only the services with a matching host', async () => {
    portal.publish(service(1, 'api.one.example.com', upstream.url));
    portal.publish(service(2, 'two.example.com', upstream.url));
    gateway = await startOpsGateway({
      env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint(), APICAST_SERVICES_FILTER_BY_URL: '^api\\.', APICAST_MANAGEMENT_API: 'debug' },
    });
    assert.equal((await call(gateway, 'api.one.example.com')).status, 200);
    assert.equal((await call(gateway, 'two.example.com')).status, 404);
    const config = JSON.parse((await send(gateway.management, '/config')).body) as { services: { id: number }[] };
    assert.deepEqual(
      config.services.map((s) => s.id),
      [1],
      'filtered services are invisible in GET /config',
    );
  });

  it('a portal over HTTPS: OPENSSL_VERIFY=false accepts its self-signed certificate, true refuses it', async () => {
    const certificate = await selfSignedCertificate('127.0.0.1');
    const securePortal = await startFakePortal({ tls: { cert: certificate.cert, key: certificate.key } });
    securePortal.publish(service(9, 'secure.example.com', upstream.url));
    try {
      gateway = await startOpsGateway({ env: { THREESCALE_PORTAL_ENDPOINT: securePortal.endpoint() } });
      assert.equal((await call(gateway, 'secure.example.com')).status, 200);
      await gateway.stop();
      gateway = undefined;
      const verifying = await startOpsGateway({
        env: { THREESCALE_PORTAL_ENDPOINT: securePortal.endpoint(), OPENSSL_VERIFY: 'true', APICAST_CONFIGURATION_TIMEOUT: '0' },
        waitFor: 'none',
      });
      await verifying.process.waitForExit();
      assert.equal(verifying.process.describeExit(), 'exited with code 1');
      assert.match(verifying.process.logs(), /failed to load configuration, exiting: .*(self-signed|self signed)/i);
    } finally {
      await securePortal.stop();
    }
  });

  it('an endpoint with a path uses <endpoint>/<env>.json?host= per host (mapping-service protocol)', async () => {
    portal.publish(service(8, 'mapped.example.com', upstream.url), 'staging');
    gateway = await startOpsGateway({
      env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint('/config'), THREESCALE_DEPLOYMENT_ENV: 'staging' },
    });
    assert.equal((await call(gateway, 'mapped.example.com')).status, 200);
    assert.deepEqual(
      portal.requests.map((r) => [r.path, r.query.host]),
      [['/config/staging.json', 'mapped.example.com']],
    );
  });

  describe('the paginated account endpoint /admin/api/account/proxy_configs/<env>.json', () => {
    const publishMany = (from: number, to: number, env = 'production') => {
      for (let id = from; id <= to; id++) portal.publish(service(id, `s${id}.example.com`, upstream.url), env);
    };
    const pageQueries = () => portal.accountRequests().map((r) => r.query);

    it('boot: 1 200 services are 3 pages of 500, each a service of the last page answers', async () => {
      publishMany(1, 1200);
      gateway = await startOpsGateway({ env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint() } });
      assert.deepEqual(
        pageQueries(),
        [1, 2, 3].map((page) => ({ version: 'latest', page: String(page), per_page: '500' })),
      );
      assert.equal(portal.requests.length, 3, 'nothing but the three pages');
      for (const id of [1, 500, 501, 1200]) assert.equal((await call(gateway, `s${id}.example.com`)).status, 200, `service ${id}`);
    });

    it('lazy: a cold host behind 1 200 services is one request with host=; the next hosts one each', async () => {
      publishMany(1, 1200, 'staging');
      gateway = await startOpsGateway({
        env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint(), THREESCALE_DEPLOYMENT_ENV: 'staging', APICAST_CONFIGURATION_CACHE: '60' },
      });
      assert.equal((await call(gateway, 's1111.example.com')).status, 200);
      assert.deepEqual(
        portal.requests.map((r) => [r.path, r.query]),
        [['/admin/api/account/proxy_configs/staging.json', { host: 's1111.example.com', version: 'latest', page: '1', per_page: '500' }]],
      );
      assert.equal((await call(gateway, 's1111.example.com')).status, 200);
      assert.equal((await call(gateway, 's7.example.com')).status, 200);
      assert.equal((await call(gateway, 'nobody.example.com')).status, 404);
      assert.deepEqual(
        portal.requests.map((r) => r.query.host),
        ['s1111.example.com', 's7.example.com', 'nobody.example.com'],
      );
    });

    it('a portal without the endpoint (404) is loaded the per-service way, at boot and in lazy mode', async () => {
      portal.accountProxyConfigs = false;
      portal.publish(service(1, 'one.example.com', upstream.url));
      portal.publish(service(2, 'two.example.com', upstream.url));
      gateway = await startOpsGateway({ env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint() } });
      assert.equal((await call(gateway, 'two.example.com')).status, 200);
      assert.deepEqual(portal.requests.map((r) => r.path).sort(), [
        '/admin/api/account/proxy_configs/production.json',
        '/admin/api/services.json',
        '/admin/api/services/1/proxy/configs/production/latest.json',
        '/admin/api/services/2/proxy/configs/production/latest.json',
      ]);
      assert.match(
        gateway.process.logs(),
        /account proxy configs page 1: invalid status: 404 \(Not Found\): no account proxy-configs endpoint, using the per-service endpoints/,
      );
      await gateway.stop();

      portal.requests.length = 0;
      gateway = await startOpsGateway({
        env: {
          THREESCALE_PORTAL_ENDPOINT: portal.endpoint(),
          APICAST_CONFIGURATION_LOADER: 'lazy',
          APICAST_LOAD_SERVICES_WHEN_NEEDED: 'true',
        },
      });
      assert.equal((await call(gateway, 'one.example.com')).status, 200);
      assert.deepEqual(
        portal.requests.map((r) => [r.path, r.query.host]),
        [
          ['/admin/api/account/proxy_configs/production.json', 'one.example.com'],
          ['/admin/api/services/proxy/configs/production.json', 'one.example.com'],
        ],
      );
    });

    it('APICAST_SERVICE_<ID>_CONFIGURATION_VERSION without a services list: the account pages, then that exact version of the pinned service', async () => {
      portal.publish(service(5, 'v1.example.com', upstream.url));
      portal.publish(service(5, 'v2.example.com', upstream.url));
      portal.publish(service(6, 'six.example.com', upstream.url));
      gateway = await startOpsGateway({
        env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint(), APICAST_SERVICE_5_CONFIGURATION_VERSION: '1' },
      });
      assert.equal((await call(gateway, 'v1.example.com')).status, 200);
      assert.equal((await call(gateway, 'v2.example.com')).status, 404, 'the latest version is not used');
      assert.equal((await call(gateway, 'six.example.com')).status, 200);
      assert.deepEqual(
        portal.requests.map((r) => r.path),
        ['/admin/api/account/proxy_configs/production.json', '/admin/api/services/5/proxy/configs/production/1.json'],
      );
    });

    it('a page failing halfway through a reload (500, garbage, no answer within the 10 s timeout, an invalid service) keeps the last good configuration; nothing of the pages before it is applied', async () => {
      portal.publish(service(1, 'one.example.com', upstream.url));
      portal.publish(service(2, 'two.example.com', upstream.url));
      gateway = await startOpsGateway({ env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint() } });
      const g = gateway;
      // 1 200 services now, by proxy-config id: services 2…501 on page 1, 502… on page 2, service 1 (its new version) last on page 3.
      publishMany(3, 1200);
      portal.publish(service(1, 'one-v2.example.com', upstream.url));
      const failures = [
        [
          'error',
          /failed to update configuration: account proxy configs page 2: invalid status: 500 \(Internal Server Error\) \(nothing of the 1 page before it is used\)/,
        ],
        ['garbage', /failed to update configuration: account proxy configs page 2: invalid JSON/],
        ['timeout', /failed to update configuration: account proxy configs page 2: connection failed: timeout after 10000 ms/],
        [
          'invalid',
          /failed to update configuration: account proxy configs page 2: proxy_configs\[0\] \(service 502\): invalid configuration: content\/proxy\/proxy_rules\/0\/pattern/,
        ],
      ] as const;
      for (const [how, logged] of failures) {
        portal.failPage = { page: 2, how };
        const before = portal.accountRequests().length;
        g.process.signal('SIGHUP');
        await eventually(() => logged.test(g.process.logs()), 20_000, `page 2 failure (${how}) logged`);
        assert.deepEqual(
          portal
            .accountRequests()
            .slice(before)
            .map((r) => r.query.page),
          ['1', '2'],
          `${how}: stopped at page 2`,
        );
        assert.equal(portal.requestsTo('/admin/api/nginx').length, 0, 'no legacy fallback');
        assert.equal((await call(g, 'one.example.com')).status, 200, `${how}: the last good configuration answers`);
        assert.equal((await call(g, 's3.example.com')).status, 404, `${how}: page 1 of the failed download was not applied`);
        assert.equal((await call(g, 'one-v2.example.com')).status, 404);
      }
      assert.match(g.process.logs(), /reload failed, the previous configuration keeps serving: account proxy configs page 2/);
      portal.failPage = undefined;
      g.process.signal('SIGHUP');
      await eventually(async () => (await call(g, 'one-v2.example.com')).status === 200, 10_000, 'reloaded once the page answers');
      assert.equal((await call(g, 's3.example.com')).status, 200);
      assert.equal((await call(g, 's1200.example.com')).status, 200);
    });
  });
});
