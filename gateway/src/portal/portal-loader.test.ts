import assert from 'node:assert/strict';
import { FakePortal, startFakePortal } from '../../test-support/fake-portal.js';
import { parsePortalEndpoint } from './endpoint.js';
import { recordingLog } from './log-sink.js';
import { loadFromPortal, type PortalLoaderOptions } from './portal-loader.js';
import { loadRemoteV2 } from './remote-v2.js';

const service = (id: number, host: string, extra: Record<string, unknown> = {}) => ({
  id,
  system_name: `svc_${id}`,
  backend_version: '1',
  proxy: {
    hosts: [host],
    api_backend: 'http://127.0.0.1:1',
    proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
  },
  ...extra,
});

function options(portal: FakePortal, overrides: Partial<PortalLoaderOptions> = {}, path = ''): PortalLoaderOptions {
  return {
    endpoint: parsePortalEndpoint(new URL(portal.endpoint(path))),
    environment: 'production',
    servicesList: undefined,
    serviceVersions: new Map(),
    loadServicesWhenNeeded: false,
    loader: 'boot',
    http: { userAgent: 'APIcast/test (linux; x64; env:production) APIcast/builtin', timeoutMs: 2000 },
    log: recordingLog(),
    legacyTimeoutSeconds: 0,
    ...overrides,
  };
}

describe('portal loader (gateway.md §2.2)', () => {
  let portal: FakePortal;
  beforeEach(async () => {
    portal = await startFakePortal();
    portal.publish(service(1, 'one.example.com'));
    portal.publish(service(2, 'two.example.com'));
  });
  afterEach(() => portal.stop());

  it('downloads the whole account from the paginated account endpoint, with Basic auth and User-Agent', async () => {
    const result = await loadFromPortal(options(portal));
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.via, 'account proxy configs');
    assert.deepEqual(result.configuration.services!.map((s) => s.id).sort(), [1, 2]);
    assert.deepEqual(
      portal.requests.map((r) => [r.path, r.query]),
      [['/admin/api/account/proxy_configs/production.json', { version: 'latest', page: '1', per_page: '500' }]],
    );
    for (const request of portal.requests) {
      assert.equal(request.headers.authorization, `Basic ${Buffer.from(`${portal.accessToken}:`).toString('base64')}`);
      assert.match(String(request.headers['user-agent']), /^APIcast\/test .*env:production/);
    }
  });

  it('a portal without the account endpoint (404): services index, then latest proxy config per service', async () => {
    portal.accountProxyConfigs = false;
    const log = recordingLog();
    const result = await loadFromPortal(options(portal, { log }));
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.configuration.services!.map((s) => s.id).sort(), [1, 2]);
    assert.deepEqual(portal.requests.map((r) => r.path).sort(), [
      '/admin/api/account/proxy_configs/production.json',
      '/admin/api/services.json',
      '/admin/api/services/1/proxy/configs/production/latest.json',
      '/admin/api/services/2/proxy/configs/production/latest.json',
    ]);
    assert.match(
      log.lines.join('\n'),
      /account proxy configs page 1: invalid status: 404 \(Not Found\): no account proxy-configs endpoint, using the per-service endpoints/,
    );
  });

  it('pages with per_page 500 until a short page: 1 200 services are 3 requests; a full last page costs one empty page more', async () => {
    for (let id = 3; id <= 1200; id++) portal.publish(service(id, `s${id}.example.com`));
    let result = await loadFromPortal(options(portal));
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.configuration.services!.length, 1200);
    assert.equal(new Set(result.configuration.services!.map((s) => s.id)).size, 1200);
    assert.deepEqual(
      portal.requests.map((r) => r.query),
      [1, 2, 3].map((page) => ({ version: 'latest', page: String(page), per_page: '500' })),
    );

    portal.requests.length = 0;
    for (let id = 1201; id <= 1500; id++) portal.publish(service(id, `s${id}.example.com`));
    result = await loadFromPortal(options(portal));
    assert.ok(result.ok);
    assert.equal(result.configuration.services!.length, 1500);
    assert.deepEqual(
      portal.requests.map((r) => r.query.page),
      ['1', '2', '3', '4'],
      'three full pages, then an empty one',
    );
  });

  it('a new version replaces the latest one in the account answer; APICAST_SERVICE_<ID>_CONFIGURATION_VERSION loads that exact version', async () => {
    portal.publish(service(1, 'v2.example.com'));
    let result = await loadFromPortal(options(portal));
    assert.ok(result.ok);
    assert.deepEqual(result.configuration.services!.map((s) => s.proxy?.hosts).sort(), [['two.example.com'], ['v2.example.com']]);

    portal.requests.length = 0;
    result = await loadFromPortal(options(portal, { serviceVersions: new Map([['1', '1']]) }));
    assert.ok(result.ok);
    assert.deepEqual(result.configuration.services!.map((s) => s.proxy?.hosts).sort(), [['one.example.com'], ['two.example.com']]);
    assert.deepEqual(
      portal.requests.map((r) => r.path),
      ['/admin/api/account/proxy_configs/production.json', '/admin/api/services/1/proxy/configs/production/1.json'],
    );

    portal.requests.length = 0;
    result = await loadFromPortal(options(portal, { serviceVersions: new Map([['1', '9']]) }));
    assert.match(!result.ok ? result.error : 'loaded', /pinned version 9 of service 1: invalid status: 404/);
    assert.equal(portal.requestsTo('/admin/api/nginx').length, 0, 'no legacy fallback');
  });

  for (const [how, reason] of [
    ['error', /invalid status: 500/],
    ['timeout', /connection failed: timeout after 300 ms/],
    ['garbage', /invalid JSON/],
    [
      'invalid',
      /proxy_configs\[0\] \(service 3\): invalid configuration: content\/proxy\/proxy_rules\/0\/pattern: must have required property/,
    ],
  ] as const) {
    it(`a page that fails halfway (${how}) fails the whole load, naming the page; nothing of the earlier pages is returned`, async () => {
      for (let id = 3; id <= 5; id++) portal.publish(service(id, `s${id}.example.com`));
      portal.failPage = { page: 2, how };
      const opts = options(portal, { perPage: 2 });
      opts.http = { ...opts.http, timeoutMs: 300 };
      const result = await loadFromPortal(opts);
      assert.equal(result.ok, false);
      const error = result.error;
      assert.match(error, /^account proxy configs page 2: /);
      assert.match(error, reason);
      assert.match(error, /nothing of the 1 page before it is used/);
      assert.deepEqual(
        portal.requests.map((r) => r.query.page),
        ['1', '2'],
        'stopped at the failing page, no legacy fallback',
      );
    });
  }

  it('a portal that ignores page (the same page again) is caught instead of paged forever; {} is an empty page', async () => {
    const { createServer } = await import('node:http');
    let answer = '';
    const pages: string[] = [];
    const server = createServer((req, res) => {
      pages.push(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const opts = { ...options(portal, { perPage: 2 }), endpoint: parsePortalEndpoint(new URL(`http://t@127.0.0.1:${port}`)) };
      answer = JSON.stringify({ proxy_configs: [1, 2].map((id) => ({ proxy_config: { content: service(id, `h${id}`) } })) });
      const result = await loadRemoteV2(opts);
      assert.match(
        !result.ok ? result.error : 'loaded',
        /^account proxy configs page 2: proxy_configs\[0\] \(service 1\): service 1 came already \(does the portal ignore page\?\)/,
      );
      assert.deepEqual(pages, ['1', '2']);
      answer = '{}';
      const empty = await loadRemoteV2(opts);
      assert.ok(empty.ok);
      assert.deepEqual(empty.configuration.services, []);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('uses THREESCALE_DEPLOYMENT_ENV as the channel and a pinned version per service', async () => {
    portal.publish(service(1, 'v1.staging.example.com'), 'staging');
    portal.publish(service(1, 'v2.staging.example.com'), 'staging');
    const result = await loadFromPortal(
      options(portal, {
        environment: 'staging',
        servicesList: ['1'],
        serviceVersions: new Map([['1', '1']]),
      }),
    );
    assert.ok(result.ok);
    assert.deepEqual(
      result.configuration.services!.map((s) => s.proxy?.hosts),
      [['v1.staging.example.com']],
    );
    assert.deepEqual(
      portal.requests.map((r) => r.path),
      ['/admin/api/services/1/proxy/configs/staging/1.json'],
    );
  });

  it('with APICAST_SERVICES_LIST fetches only the listed services and never the index', async () => {
    const result = await loadFromPortal(options(portal, { servicesList: ['2'] }));
    assert.ok(result.ok);
    assert.deepEqual(
      result.configuration.services!.map((s) => s.id),
      [2],
    );
    assert.equal(portal.requestsTo('/admin/api/services.json').length, 0);
  });

  it('an endpoint with a path asks <endpoint>/<env>.json?host= (mapping-service protocol)', async () => {
    const result = await loadFromPortal(options(portal, {}, '/config'), 'two.example.com');
    assert.ok(result.ok);
    assert.deepEqual(
      result.configuration.services!.map((s) => s.id),
      [2],
    );
    assert.equal(portal.requests.length, 1);
    assert.equal(portal.requests[0].path, '/config/production.json');
    assert.equal(portal.requests[0].query.host, 'two.example.com');
  });

  it('an endpoint with a path that fails falls back to the whole-account protocol', async () => {
    portal.failingPaths = ['/broken'];
    const result = await loadFromPortal(options(portal, {}, '/broken'));
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.configuration.services!.length, 2);
    assert.deepEqual(portal.requests.map((r) => r.path).slice(0, 2), [
      '/broken/production.json',
      '/admin/api/account/proxy_configs/production.json',
    ]);
  });

  it('falls back to the legacy /admin/api/nginx/spec.json when v2 gives nothing', async () => {
    portal.failingPaths = ['/admin/api/account', '/admin/api/services'];
    const result = await loadFromPortal(options(portal));
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.via, 'legacy spec.json');
    assert.equal(portal.requests.at(-1)!.path, '/admin/api/nginx/spec.json');
  });

  it('lazy: a host costs one request to the account endpoint with host=; without that endpoint, LOAD_SERVICES_WHEN_NEEDED asks configs by host', async () => {
    for (let id = 3; id <= 1200; id++) portal.publish(service(id, `s${id}.example.com`));
    let result = await loadFromPortal(options(portal, { loader: 'lazy' }), 's777.example.com');
    assert.ok(result.ok);
    assert.deepEqual(
      result.configuration.services!.map((s) => s.id),
      [777],
    );
    assert.deepEqual(
      portal.requests.map((r) => [r.path, r.query]),
      [['/admin/api/account/proxy_configs/production.json', { host: 's777.example.com', version: 'latest', page: '1', per_page: '500' }]],
    );

    portal.requests.length = 0;
    portal.accountProxyConfigs = false;
    result = await loadFromPortal(options(portal, { loader: 'lazy', loadServicesWhenNeeded: true }), 'one.example.com');
    assert.ok(result.ok);
    assert.deepEqual(
      result.configuration.services!.map((s) => s.id),
      [1],
    );
    assert.deepEqual(
      portal.requests.map((r) => [r.path, r.query.host]),
      [
        ['/admin/api/account/proxy_configs/production.json', 'one.example.com'],
        ['/admin/api/services/proxy/configs/production.json', 'one.example.com'],
      ],
    );
  });

  it('a wrong token is reported as invalid status: 403 (Forbidden)', async () => {
    const opts = options(portal);
    opts.endpoint = parsePortalEndpoint(new URL(`http://wrong@127.0.0.1:${portal.port}`));
    const result = await loadFromPortal(opts);
    assert.equal(result.ok, false);
    assert.match(
      result.error,
      /account proxy configs page 1: invalid status: 403 \(Forbidden\); services index: invalid status: 403 \(Forbidden\)/,
    );
  });

  it('reports garbage JSON, 5xx, a slow portal and a portal that is down, with their reasons', async () => {
    portal.mode = 'garbage';
    let result = await loadFromPortal(options(portal));
    assert.match(!result.ok ? result.error : 'loaded', /invalid JSON/);

    portal.mode = 'error';
    result = await loadFromPortal(options(portal));
    assert.match(!result.ok ? result.error : 'loaded', /invalid status: 503/);

    portal.mode = 'ok';
    portal.delayMs = 500;
    const slow = options(portal);
    slow.http = { ...slow.http, timeoutMs: 100 };
    result = await loadRemoteV2(slow);
    assert.match(!result.ok ? result.error : 'loaded', /connection failed: .*timeout/i);

    portal.delayMs = 0;
    const down = options(portal);
    await portal.stop();
    result = await loadFromPortal(down);
    assert.match(!result.ok ? result.error : 'loaded', /connection failed.*ECONNREFUSED.*portal not reachable/s);
  });
});

describe('fake portal: the account proxy-configs endpoint as 3scale serves it', () => {
  let portal: FakePortal;
  beforeEach(async () => {
    portal = await startFakePortal();
    for (let id = 1; id <= 600; id++) portal.publish(service(id, id % 2 ? 'odd.example.com' : `s${id}.example.com`));
    portal.publish(service(5, 'five-v2.example.com'));
  });
  afterEach(() => portal.stop());

  const get = async (query: string, headers: Record<string, string> = {}) => {
    const { request } = await import('undici');
    const response = await request(`http://127.0.0.1:${portal.port}/admin/api/account/proxy_configs/production.json${query}`, { headers });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      body:
        response.statusCode === 200
          ? (JSON.parse(text) as { proxy_configs: { proxy_config: { id: number; version: number; content: { id: number } } }[] })
          : undefined,
    };
  };

  it('checks the token (access_token query or Basic auth), pages by proxy-config id, clamps per_page to 1..500, filters host and version', async () => {
    assert.equal((await get('')).status, 403);
    assert.equal((await get('?access_token=wrong')).status, 403);
    const all = await get(`?access_token=${portal.accessToken}`);
    assert.equal(all.body!.proxy_configs.length, 500, 'default per_page is 500');
    const basic = { authorization: `Basic ${Buffer.from(`${portal.accessToken}:`).toString('base64')}` };
    assert.equal((await get('?per_page=5000', basic)).body!.proxy_configs.length, 500, 'per_page above 500 is 500');
    assert.equal((await get('?per_page=0&page=2', basic)).body!.proxy_configs.length, 101, 'page 2 of all 601 configs');
    const ids = (await get('?per_page=7&page=1', basic)).body!.proxy_configs.map((pc) => pc.proxy_config.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    const latest = await get('?version=latest&per_page=500&page=2', basic);
    assert.equal(latest.body!.proxy_configs.length, 100, '600 services, one latest config each');
    const five = await get('?version=latest&host=five-v2.example.com', basic);
    assert.deepEqual(
      five.body!.proxy_configs.map((pc) => [pc.proxy_config.content.id, pc.proxy_config.version]),
      [[5, 2]],
    );
    assert.equal(
      (await get('?version=latest&host=odd.example.com&per_page=100&page=3', basic)).body!.proxy_configs.length,
      99,
      '299 odd services still on odd.example.com',
    );
    assert.deepEqual(
      (await get('?version=1&host=s6.example.com', basic)).body!.proxy_configs.map((pc) => pc.proxy_config.content.id),
      [6],
    );
    assert.equal(portal.accountRequests().length, 10, 'every request recorded, refused ones too');
    assert.deepEqual(portal.accountRequests()[3].query, { per_page: '5000' });
  });
});
