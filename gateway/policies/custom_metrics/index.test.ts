import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { stopAll } from '../../test-support/teardown.js';

const rule = (metric: string, increment: string, left: string, right: string) => ({
  metric,
  increment,
  condition: { combine_op: 'and', operations: [{ left, left_type: 'liquid', op: '==', right }] },
});

describe('custom_metrics policy (policies.md §5.9)', () => {
  it('rejects rules without condition, increment or operations', async () => {
    await assert.rejects(buildPolicy('custom_metrics', { rules: [{ metric: 'm', increment: '1' }] }), /condition/);
    await assert.rejects(
      buildPolicy('custom_metrics', {
        rules: [{ metric: 'm', condition: { combine_op: 'and', operations: [{ left: 'a', op: '==', right: 'a' }] } }],
      }),
      /increment/,
    );
    await assert.rejects(
      buildPolicy('custom_metrics', { rules: [{ metric: 'm', increment: '1', condition: { combine_op: 'and', operations: [] } }] }),
      /operations/,
    );
    await assert.rejects(buildPolicy('custom_metrics', { rules: [] }), /rules/);
  });

  describe('through the real gateway with the fake 3scale backend', function () {
    this.timeout(30_000);
    let backend: FakeBackend;
    let gw: PolicyGateway;
    before(async () => {
      backend = await FakeBackend.start({ serviceTokens: { '1': 'token-1' }, applications: [{ user_key: 'k' }] });
      gw = await startPolicyGateway(
        [
          {
            id: 1,
            host: 'metrics.test',
            chain: [
              {
                name: 'custom_metrics',
                configuration: {
                  rules: [
                    rule('status_{{ status }}', '1', '{{ status }}', '200'),
                    rule('upstream_{{ resp.headers.x-upstream }}', '{{ 2 | plus: 3 }}', '{{ resp.headers.x-upstream }}', 'yes'),
                    rule('never', '1', '{{ status }}', '500'),
                  ],
                },
              },
              { name: 'apicast' },
            ],
          },
        ],
        { backendUrl: backend.url },
      );
    });
    after(async () => {
      await stopAll(gw, backend);
    });

    it('after the response, the metrics of matching rules (rendered from response data) reach the backend', async () => {
      const response = await gw.request('metrics.test', '/?user_key=k');
      assert.equal(response.status, 200);
      const deadline = Date.now() + 5000;
      const reported = () => backend.calls.filter((c) => `${c.query}&${c.body}`.includes('status_200'));
      while (reported().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const call = reported()[0];
      assert.ok(
        call,
        `a backend call carries the custom metrics: ${backend.calls.map((c) => `${c.kind} ${c.query} ${c.body}`).join(' | ')}`,
      );
      const params = new URLSearchParams(`${call.query}&${call.body}`);
      const values = [...params.entries()];
      assert.ok(
        values.some(([k, v]) => k.endsWith('[usage][status_200]') && v === '1') ||
          values.some(([k, v]) => k === 'usage[status_200]' && v === '1'),
        JSON.stringify(values),
      );
      assert.ok(
        values.some(([k, v]) => k.endsWith('[upstream_yes]') && v === '5'),
        JSON.stringify(values),
      );
      assert.ok(!values.some(([k]) => k.includes('never')));
    });

    it("on an authorization-cache hit the custom usage rides in apicast's one post-action report", async () => {
      await gw.request('metrics.test', '/warm?user_key=k'); // miss: synchronous authrep caches the authorization
      await new Promise((r) => setTimeout(r, 300)); // the miss's own custom_metrics report
      backend.calls.length = 0;
      const response = await gw.request('metrics.test', '/hit?user_key=k');
      assert.equal(response.status, 200);
      await backend.waitForCalls(1);
      await new Promise((r) => setTimeout(r, 300)); // a second, separate report would show up here
      assert.deepEqual(
        backend.calls.map((c) => c.kind),
        ['authrep'],
        backend.calls.map((c) => `${c.kind} ${c.query} ${c.body}`).join(' | '),
      );
      const params = backend.calls[0].params;
      assert.equal(params.get('usage[hits]'), '1');
      assert.equal(params.get('usage[status_200]'), '1');
      assert.equal(params.get('usage[upstream_yes]'), '5');
    });
  });
});
