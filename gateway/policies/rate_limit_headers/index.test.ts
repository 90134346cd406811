import assert from 'node:assert/strict';
import { decodeLimitInfo, encodeLimitInfo, limitInfoOf, rateLimitHeaders } from './limit-info.js';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { stopAll } from '../../test-support/teardown.js';

describe('rate_limit_headers policy (policies.md §5.24)', () => {
  it('reads the 3scale limit headers (missing ⇒ 0) and round-trips the stored form', () => {
    const info = limitInfoOf({ status: 200, body: '', headers: { '3scale-limit-max-value': '10', '3scale-limit-remaining': '7' } }, 1000);
    assert.deepEqual(info, { limit: 10, remaining: 7, resetAt: 1000 });
    assert.deepEqual(decodeLimitInfo(encodeLimitInfo({ limit: 10, remaining: 7, resetAt: 1060 })), {
      limit: 10,
      remaining: 7,
      resetAt: 1060,
    });
  });
  it('headers: negatives clamp to 0; all omitted when the reset is not in the future', () => {
    assert.deepEqual(rateLimitHeaders({ limit: -1, remaining: -3, resetAt: 1030 }, 1000), [
      ['RateLimit-Limit', '0'],
      ['RateLimit-Remaining', '0'],
      ['RateLimit-Reset', '30'],
    ]);
    assert.deepEqual(rateLimitHeaders({ limit: 5, remaining: 1, resetAt: 1000 }, 1000), []);
  });

  describe('through the real gateway with the fake 3scale backend', function () {
    this.timeout(30_000);
    let backend: FakeBackend;
    let gw: PolicyGateway;
    before(async () => {
      backend = await FakeBackend.start({
        serviceTokens: { '1': 'token-1' },
        applications: [{ user_key: 'k', limits: { hits: 5 } }],
        limitReset: 60,
      });
      gw = await startPolicyGateway([{ id: 1, host: 'rlh.test', chain: [{ name: 'rate_limit_headers' }, { name: 'apicast' }] }], {
        backendUrl: backend.url,
      });
    });
    after(async () => {
      await stopAll(gw, backend);
    });

    it('first request: headers from the backend answer; cached next request: remaining decremented', async () => {
      const first = await gw.request('rlh.test', '/?user_key=k');
      assert.equal(first.status, 200);
      assert.equal(first.headers['ratelimit-limit'], '5');
      assert.equal(first.headers['ratelimit-remaining'], '4');
      const reset = Number(first.headers['ratelimit-reset']);
      assert.ok(reset > 0 && reset <= 60, `reset ${reset}`);
      const second = await gw.request('rlh.test', '/?user_key=k');
      assert.equal(second.status, 200);
      assert.equal(second.headers['ratelimit-remaining'], '3');
    });
  });
});
