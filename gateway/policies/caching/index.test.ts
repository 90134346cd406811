import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { allowHandler, noneHandler, resilientHandler, strictHandler } from '../../src/backend/cache-handlers.js';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { stopAll } from '../../test-support/teardown.js';

describe('caching policy (policies.md §5.4)', () => {
  it('exports the cache handler of its caching_type and has no phase', async () => {
    const expected = { strict: strictHandler, resilient: resilientHandler, allow: allowHandler, none: noneHandler };
    for (const [type, handler] of Object.entries(expected)) {
      const policy = await buildPolicy('caching', { caching_type: type });
      assert.equal(policy.export!()['cache_handler'], handler, type);
      assert.equal(typeof policy.access, 'undefined');
    }
  });
  it('rejects a missing or unknown caching_type', async () => {
    await assert.rejects(buildPolicy('caching', {}), /caching_type/);
    await assert.rejects(buildPolicy('caching', { caching_type: 'sometimes' }), /caching_type/);
  });

  describe('through the real gateway with the fake 3scale backend', function () {
    this.timeout(30_000);
    let backend: FakeBackend;
    let gw: PolicyGateway;
    before(async () => {
      backend = await FakeBackend.start({ serviceTokens: { '1': 'token-1', '2': 'token-2' }, applications: [{ user_key: 'k' }] });
      gw = await startPolicyGateway(
        [
          { id: 1, host: 'none.test', chain: [{ name: 'caching', configuration: { caching_type: 'none' } }, { name: 'apicast' }] },
          {
            id: 2,
            host: 'resilient.test',
            chain: [{ name: 'apicast' }, { name: 'caching', configuration: { caching_type: 'resilient' } }],
          },
        ],
        { backendUrl: backend.url },
      );
    });
    after(async () => {
      await stopAll(gw, backend);
    });

    it('resilient keeps serving an authorized application while the backend fails; none does not', async () => {
      assert.equal((await gw.request('none.test', '/?user_key=k')).status, 200);
      assert.equal((await gw.request('resilient.test', '/?user_key=k')).status, 200);
      backend.failWith = 500;
      const upstreamBefore = gw.upstream.requests.length;
      const none = await gw.request('none.test', '/?user_key=k');
      const resilient = await gw.request('resilient.test', '/?user_key=k');
      assert.notEqual(none.status, 200, 'caching none: every request is authorized synchronously, a failing backend denies');
      assert.equal(resilient.status, 200, 'caching resilient: the cached 200 survives the outage');
      assert.equal(gw.upstream.requests.length, upstreamBefore + 1);
    });
  });
});
