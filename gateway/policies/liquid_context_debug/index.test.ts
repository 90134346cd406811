import assert from 'node:assert/strict';
import { debugValue } from './index.js';
import { HeadersDrop } from '../../src/shared/liquid/index.js';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { stopAll } from '../../test-support/teardown.js';

describe('liquid_context_debug policy (policies.md §5.18)', () => {
  it('keeps strings, numbers and tables; drops booleans/functions; marks repeated tables', () => {
    const shared = { a: 1 };
    const circular: Record<string, unknown> = { name: 'c' };
    circular['self'] = circular;
    assert.deepEqual(
      debugValue({ s: 'x', n: 2, b: true, f: () => 1, t: shared, again: shared, circular, h: new HeadersDrop({ Accept: 'a' }) }, new Set()),
      {
        s: 'x',
        n: 2,
        t: { a: 1 },
        again: { already_seen: 'ALREADY SEEN - NOT CALCULATING AGAIN TO AVOID CIRCULAR REFS' },
        circular: { name: 'c', self: { already_seen: 'ALREADY SEEN - NOT CALCULATING AGAIN TO AVOID CIRCULAR REFS' } },
        h: { accept: 'a' },
      },
    );
  });

  describe('through the real gateway', function () {
    this.timeout(30_000);
    let gw: PolicyGateway;
    before(async () => {
      gw = await startPolicyGateway([{ id: 7, host: 'debug.test', chain: [{ name: 'liquid_context_debug' }, { name: 'apicast' }] }]);
    });
    after(async () => {
      await stopAll(gw);
    });

    it('answers 200 JSON of the Liquid context instead of proxying', async () => {
      const response = await gw.request('debug.test', '/some/path?user_key=k', { headers: { 'X-Debug-Me': 'yes' } });
      assert.equal(response.status, 200);
      assert.match(String(response.headers['content-type']), /application\/json/);
      const context = JSON.parse(response.body) as Record<string, unknown> & {
        headers: Record<string, unknown>;
        service: Record<string, unknown>;
        original_request: Record<string, unknown>;
      };
      assert.equal(context['uri'], '/some/path');
      assert.equal(context['host'], 'debug.test');
      assert.equal(context['headers']['x-debug-me'], 'yes');
      assert.equal(context['service']['id'], '7');
      assert.equal(context['original_request']['path'], '/some/path');
      assert.equal(gw.upstream.requests.length, 0);
    });
  });
});
