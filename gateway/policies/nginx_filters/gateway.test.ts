import assert from 'node:assert/strict';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { stopAll } from '../../test-support/teardown.js';

describe('nginx_filters in the gateway (policies.md §5.43)', function () {
  this.timeout(30_000);
  let gw: PolicyGateway;
  before(async () => {
    gw = await startPolicyGateway([
      {
        id: 1,
        host: 'filters.test',
        chain: [
          { name: 'nginx_filters', configuration: { headers: [{ name: 'If-Match', append: true }, { name: 'If-None-Match' }] } },
          { name: 'apicast' },
        ],
      },
      { id: 2, host: 'plain.test', chain: [{ name: 'apicast' }] },
    ]);
  });
  after(async () => {
    await stopAll(gw);
  });

  it('an If-Match request is never answered 412 by the gateway: with append it reaches the upstream unchanged', async () => {
    const response = await gw.request('filters.test', '/?user_key=k', {
      headers: { 'If-Match': '"anything"', 'If-None-Match': '"v1"', 'X-Other': 'kept' },
    });
    assert.equal(response.status, 200);
    const seen = gw.upstream.requests.at(-1)!.headers;
    assert.equal(seen['if-match'], '"anything"');
    assert.equal(seen['x-other'], 'kept');
  });

  it('without append the header is removed before the upstream call; services without the policy keep it', async () => {
    await gw.request('filters.test', '/?user_key=k', { headers: { 'If-None-Match': '"v1"' } });
    assert.equal(gw.upstream.requests.at(-1)!.headers['if-none-match'], undefined);
    await gw.request('plain.test', '/?user_key=k', { headers: { 'If-None-Match': '"v1"' } });
    assert.equal(gw.upstream.requests.at(-1)!.headers['if-none-match'], '"v1"');
  });
});
