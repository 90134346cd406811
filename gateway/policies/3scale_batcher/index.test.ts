import assert from 'node:assert/strict';
import { authKey, batchKey, parseBatchKey, reportCredentials } from './keys.js';
import { Usage } from '../../src/mapping/usage.js';
import { serviceJson, startPolicyGateway, type PolicyGateway, type PolicyServiceSpec } from '../../test-support/policies/policy-gateway.js';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { send } from '../../test-support/http-client.js';
import { freePort } from '../../../test/support/ports.js';
import { stopAll } from '../../test-support/teardown.js';

describe('3scale_batcher policy (policies.md §5.2)', () => {
  it('auth keys sort metrics; batch keys parse back, even with unusual characters', () => {
    const usage = Usage.of([
      ['orders', 2],
      ['hits', 1],
    ]);
    assert.equal(authKey('7', { kind: 'user_key', user_key: 'k' }, usage), 'service_id:7,user_key:k,metrics:hits=1;orders=2');
    assert.equal(
      authKey('7', { kind: 'app_id', app_id: 'a', app_key: 'b' }, usage),
      'service_id:7,app_id:a,app_key:b,metrics:hits=1;orders=2',
    );
    const key = batchKey('7', { kind: 'app_id', app_id: 'a b,c', app_key: 'x' }, 'hits');
    assert.deepEqual(parseBatchKey(key), { serviceId: '7', credentials: { kind: 'app_id', app_id: 'a b,c' }, metric: 'hits' });
    assert.deepEqual(reportCredentials({ kind: 'app_id', app_id: 'a', app_key: 'b' }), { kind: 'app_id', app_id: 'a' });
  });

  describe('through the real gateway with the fake 3scale backend', function () {
    this.timeout(30_000);
    let backend: FakeBackend;
    let gw: PolicyGateway;
    let metricsPort: number;
    before(async () => {
      backend = await FakeBackend.start({
        serviceTokens: { '1': 'token-1' },
        applications: [{ user_key: 'good' }, { user_key: 'limited', limits: { hits: 0 } }],
      });
      metricsPort = await freePort();
      gw = await startPolicyGateway(
        [
          {
            id: 1,
            host: 'batch.test',
            chain: [{ name: '3scale_batcher', configuration: { auths_ttl: 60, batch_report_seconds: 1 } }, { name: 'apicast' }],
          },
        ],
        { backendUrl: backend.url, env: { APICAST_METRICS_PORT: String(metricsPort) } },
      );
    });
    after(async () => {
      await stopAll(gw, backend);
    });

    it('one authorize per application, cached; usage reported in one batch; no authrep', async () => {
      for (let i = 0; i < 5; i++) assert.equal((await gw.request('batch.test', '/?user_key=good')).status, 200);
      assert.equal(backend.callsOf('authorize').length, 1, 'the first request authorizes, the next 4 hit the cache');
      assert.equal(backend.callsOf('authrep').length, 0, 'apicast does not authrep');
      const deadline = Date.now() + 5000;
      while (backend.callsOf('report').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const reports = backend.callsOf('report');
      assert.equal(reports.length, 1);
      const body = new URLSearchParams(reports[0].body);
      assert.equal(body.get('transactions[0][user_key]'), 'good');
      assert.equal(body.get('transactions[0][usage][hits]'), '5');
    });
    it('counts auth cache hits and misses in batching_policy_auths_cache_hits/misses', async () => {
      const text = (await send(`http://127.0.0.1:${metricsPort}`, '/metrics')).body;
      assert.match(text, /^batching_policy_auths_cache_hits 4$/m);
      assert.match(text, /^batching_policy_auths_cache_misses 1$/m);
    });
    it('a denied application is denied from the cache without another backend call', async () => {
      const before = backend.callsOf('authorize').length;
      const first = await gw.request('batch.test', '/?user_key=unknown');
      const second = await gw.request('batch.test', '/?user_key=unknown');
      assert.equal(first.status, 403);
      assert.equal(second.status, 403);
      assert.equal(backend.callsOf('authorize').length, before + 1);
    });
  });

  describe('on a configuration reload (dispose hook)', function () {
    this.timeout(30_000);
    let backend: FakeBackend;
    let gw: PolicyGateway;
    const spec = (ttl: number): PolicyServiceSpec => ({
      id: 1,
      host: 'batch.test',
      chain: [{ name: '3scale_batcher', configuration: { auths_ttl: ttl, batch_report_seconds: 3600 } }, { name: 'apicast' }],
    });
    before(async () => {
      backend = await FakeBackend.start({ serviceTokens: { '1': 'token-1' }, applications: [{ user_key: 'good' }] });
      gw = await startPolicyGateway([spec(60)], { backendUrl: backend.url });
    });
    after(async () => {
      await stopAll(gw, backend);
    });

    async function reload(config: unknown): Promise<void> {
      await gw.gateway.writeConfig(config);
      gw.gateway.process.signal('SIGHUP');
    }

    it('a rejected reload keeps counting; a replacing reload reports the batched usage at once (not after batch_report_seconds)', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await gw.request('batch.test', '/?user_key=good')).status, 200);
      const bad = serviceJson(spec(60), gw.upstream.url, backend.url) as { proxy: { policy_chain: unknown[] } };
      bad.proxy.policy_chain = [...bad.proxy.policy_chain, { name: 'caching', configuration: {} }]; // caching_type missing
      await reload({ services: [bad] });
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(backend.callsOf('report').length, 0, 'the rejected configuration left the running batcher alone');
      assert.equal((await gw.request('batch.test', '/?user_key=good')).status, 200);

      await reload({ services: [serviceJson(spec(30), gw.upstream.url, backend.url)] });
      const deadline = Date.now() + 5000;
      while (backend.callsOf('report').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const reports = backend.callsOf('report');
      assert.equal(reports.length, 1, 'the replaced batcher flushed on dispose');
      assert.equal(new URLSearchParams(reports[0].body).get('transactions[0][usage][hits]'), '4');
    });
  });
});
