import assert from 'node:assert/strict';
import { FakePortal, startFakePortal } from '../../test-support/fake-portal.js';
import { parsePortalEndpoint } from './endpoint.js';
import { recordingLog } from './log-sink.js';
import { loadFromPortal, type PortalLoaderOptions } from './portal-loader.js';
import { loadRemoteV2 } from './remote-v2.js';

const service = (id: number, host: string, extra: Record<string, unknown> = {}) => ({
  id, system_name: `svc_${id}`, backend_version: '1',
  proxy: { hosts: [host], api_backend: 'http://127.0.0.1:1', proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }] },
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

  it('downloads the whole account: services index, then latest proxy config per service, with Basic auth and User-Agent', async () => {
    const result = await loadFromPortal(options(portal));
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.configuration.services!.map((s) => s.id).sort(), [1, 2]);
    const paths = portal.requests.map((r) => r.path).sort();
    assert.deepEqual(paths, [
      '/admin/api/services.json',
      '/admin/api/services/1/proxy/configs/production/latest.json',
      '/admin/api/services/2/proxy/configs/production/latest.json',
    ]);
    for (const request of portal.requests) {
      assert.equal(request.headers.authorization, `Basic ${Buffer.from(`${portal.accessToken}:`).toString('base64')}`);
      assert.match(String(request.headers['user-agent']), /^APIcast\/test .*env:production/);
    }
  });

  it('uses THREESCALE_DEPLOYMENT_ENV as the channel and a pinned version per service', async () => {
    portal.publish(service(1, 'v1.staging.example.com'), 'staging');
    portal.publish(service(1, 'v2.staging.example.com'), 'staging');
    const result = await loadFromPortal(options(portal, {
      environment: 'staging', servicesList: ['1'], serviceVersions: new Map([['1', '1']]),
    }));
    assert.ok(result.ok);
    assert.deepEqual(result.configuration.services!.map((s) => s.proxy?.hosts), [['v1.staging.example.com']]);
    assert.deepEqual(portal.requests.map((r) => r.path), ['/admin/api/services/1/proxy/configs/staging/1.json']);
  });

  it('with APICAST_SERVICES_LIST fetches only the listed services and never the index', async () => {
    const result = await loadFromPortal(options(portal, { servicesList: ['2'] }));
    assert.ok(result.ok);
    assert.deepEqual(result.configuration.services!.map((s) => s.id), [2]);
    assert.equal(portal.requestsTo('/admin/api/services.json').length, 0);
  });

  it('an endpoint with a path asks <endpoint>/<env>.json?host= (mapping-service protocol)', async () => {
    const result = await loadFromPortal(options(portal, {}, '/config'), 'two.example.com');
    assert.ok(result.ok);
    assert.deepEqual(result.configuration.services!.map((s) => s.id), [2]);
    assert.equal(portal.requests.length, 1);
    assert.equal(portal.requests[0]!.path, '/config/production.json');
    assert.equal(portal.requests[0]!.query.host, 'two.example.com');
  });

  it('an endpoint with a path that fails falls back to the whole-account protocol', async () => {
    portal.failingPaths = ['/broken'];
    const result = await loadFromPortal(options(portal, {}, '/broken'));
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.configuration.services!.length, 2);
    assert.deepEqual(portal.requests.map((r) => r.path).slice(0, 2), ['/broken/production.json', '/admin/api/services.json']);
  });

  it('falls back to the legacy /admin/api/nginx/spec.json when v2 gives nothing', async () => {
    portal.failingPaths = ['/admin/api/services'];
    const result = await loadFromPortal(options(portal));
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.via, 'legacy spec.json');
    assert.equal(portal.requests.at(-1)!.path, '/admin/api/nginx/spec.json');
  });

  it('lazy + APICAST_LOAD_SERVICES_WHEN_NEEDED asks the configs-by-host endpoint only', async () => {
    const result = await loadFromPortal(options(portal, { loader: 'lazy', loadServicesWhenNeeded: true }), 'one.example.com');
    assert.ok(result.ok);
    assert.deepEqual(result.configuration.services!.map((s) => s.id), [1]);
    assert.deepEqual(portal.requests.map((r) => [r.path, r.query.host]), [['/admin/api/services/proxy/configs/production.json', 'one.example.com']]);
  });

  it('a wrong token is reported as invalid status: 403 (Forbidden)', async () => {
    const opts = options(portal);
    opts.endpoint = parsePortalEndpoint(new URL(`http://wrong@127.0.0.1:${portal.port}`));
    const result = await loadFromPortal(opts);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', /services index: invalid status: 403 \(Forbidden\)/);
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
