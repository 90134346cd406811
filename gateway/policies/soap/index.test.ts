import assert from 'node:assert/strict';
import { Usage } from '../../src/mapping/usage.js';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { soapAction } from './soap-action.js';

const config = {
  mapping_rules: [
    { pattern: '/orders/{id}', metric_system_name: 'orders', delta: 2 },
    { pattern: 'urn:stock', metric_system_name: 'stock', delta: 1 },
  ],
};

describe('soap policy (policies.md §5.28)', () => {
  it('reads the action from the Content-Type action parameter before SOAPAction', () => {
    assert.equal(soapAction('application/soap+xml; charset=utf-8; action="urn:stock"', '"urn:other"'), 'urn:stock');
    assert.equal(soapAction('text/xml', '"http://example.com/orders/7"'), '/orders/7');
    assert.equal(soapAction('text/xml', undefined), undefined);
  });

  it('adds the usage of every matching rule to the request usage', async () => {
    const policy = await buildPolicy('soap', config);
    const ctx = testContext({ method: 'POST', headers: { SOAPAction: 'http://ws.example.com/orders/42' } });
    ctx.usage = Usage.of([['hits', 1]]);
    await policy.rewrite!(ctx);
    assert.deepEqual(
      [...ctx.usage.entries()],
      [
        ['hits', 1],
        ['orders', 2],
      ],
    );
  });

  it('creates the usage when APIcast has not set one yet', async () => {
    const policy = await buildPolicy('soap', config);
    const ctx = testContext({ method: 'POST', headers: { 'Content-Type': 'application/soap+xml;action=urn:stock' } });
    await policy.rewrite!(ctx);
    assert.deepEqual([...ctx.usage!.entries()], [['stock', 1]]);
  });

  it('leaves usage alone without an action or a matching rule', async () => {
    const policy = await buildPolicy('soap', config);
    for (const headers of [{}, { SOAPAction: 'urn:unknown' }] as Record<string, string>[]) {
      const ctx = testContext({ method: 'POST', headers });
      await policy.rewrite!(ctx);
      assert.equal(ctx.usage, undefined);
    }
  });

  it('requires pattern, metric_system_name and delta', async () => {
    await assert.rejects(buildPolicy('soap', { mapping_rules: [{ pattern: '/', metric_system_name: 'hits' }] }), /delta/);
  });
});
