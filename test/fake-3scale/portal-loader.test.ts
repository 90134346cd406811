/**
 * The gateway's portal loader (gateway/src/portal/remote-v2.ts) in-process
 * against the fake: the account endpoint page by page, and, on a portal
 * without it, the older protocol (services index, then each service's
 * latest proxy config, or a pinned version).
 */
import assert from 'node:assert/strict';
import { parsePortalEndpoint } from '../../gateway/src/portal/endpoint.js';
import { silentLog } from '../../gateway/src/portal/log-sink.js';
import { loadRemoteV2, type PortalOptions } from '../../gateway/src/portal/remote-v2.js';
import { startFake3scale, type Fake3scale } from './server.js';
import { productWithBackend, TestApi } from './test-client.js';

describe('fake 3scale: the gateway portal loader reads it', () => {
  let fake: Fake3scale;
  let api: TestApi;
  let ids: number[];
  beforeEach(async () => {
    fake = await startFake3scale();
    api = new TestApi(fake.url, fake.accessToken);
    ids = [];
    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      const { serviceId } = await productWithBackend(api, 'http://u.local', name);
      await api.post(`/admin/api/services/${serviceId}/proxy/deploy.json`);
      fake.adminUi().promoteLatest(serviceId);
      ids.push(serviceId);
    }
    fake.resetCalls();
  });
  afterEach(() => fake.close());

  const options = (extra: Partial<PortalOptions> = {}): PortalOptions => ({
    endpoint: parsePortalEndpoint(new URL(fake.portalEndpoint())),
    environment: 'production',
    servicesList: undefined,
    serviceVersions: new Map(),
    loadServicesWhenNeeded: false,
    loader: 'boot',
    http: { userAgent: 'test', timeoutMs: 5000 },
    log: silentLog,
    ...extra,
  });
  const serviceIds = (result: Awaited<ReturnType<typeof loadRemoteV2>>) =>
    result.ok ? (result.configuration.services ?? []).map((s) => s.id) : result.error;

  it('pages through the account endpoint (per_page 2 → two pages) with Basic auth', async () => {
    const result = await loadRemoteV2(options({ perPage: 2 }));
    assert.deepEqual(serviceIds(result), ids);
    assert.deepEqual(
      fake.calls.map((c) => [c.path, c.query.page, c.status, c.tenant]),
      [
        ['/admin/api/account/proxy_configs/production.json', '1', 200, fake.tenant().id],
        ['/admin/api/account/proxy_configs/production.json', '2', 200, fake.tenant().id],
      ],
    );
  });

  it('without the account endpoint: the services index and each latest config; a pinned version is fetched by number', async () => {
    await api.patch(`/admin/api/services/${ids[1]}/proxy.json`, { error_no_match: 'nope' });
    fake.adminUi().promoteLatest(ids[1]);
    fake.resetCalls();
    fake.failNext({ status: 404, pathPrefix: '/admin/api/account/proxy_configs', body: { status: 'Not found' } });
    const result = await loadRemoteV2(options({ serviceVersions: new Map([[String(ids[1]), '1']]) }));
    assert.ok(result.ok, String(!result.ok && result.error));
    assert.deepEqual(serviceIds(result), ids);
    const pinned = result.configuration.services!.find((s) => s.id === ids[1])!;
    assert.equal(pinned.proxy?.error_no_match, 'No Mapping Rule matched', 'version 1, not the latest (2)');
    // Per-service downloads run in parallel: compare as sets.
    assert.deepEqual(
      fake.calls.map((c) => `${c.status} ${c.path}`).sort(),
      [
        '404 /admin/api/account/proxy_configs/production.json',
        '200 /admin/api/services.json',
        ...ids.map((id) => `200 /admin/api/services/${id}/proxy/configs/production/${id === ids[1] ? '1' : 'latest'}.json`),
      ].sort(),
    );
  });
});
