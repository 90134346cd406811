import assert from 'node:assert/strict';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { stopAll } from '../../test-support/teardown.js';

describe('maintenance_mode policy through the real gateway', function () {
  this.timeout(30_000);
  let backend: FakeBackend;
  let gw: PolicyGateway;
  before(async () => {
    backend = await FakeBackend.start({ serviceTokens: { '1': 'token-1', '2': 'token-2' }, applications: [{ user_key: 'k' }] });
    gw = await startPolicyGateway(
      [
        { id: 1, host: 'down.test', chain: [{ name: 'maintenance_mode', configuration: { message: 'Back soon' } }, { name: 'apicast' }] },
        {
          id: 2,
          host: 'partial.test',
          chain: [
            {
              name: 'maintenance_mode',
              configuration: {
                status: 410,
                condition: { combine_op: 'and', operations: [{ left: '{{ uri }}', left_type: 'liquid', op: 'matches', right: '^/v1/' }] },
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

  it('answers the maintenance response before any backend or upstream call', async () => {
    const response = await gw.request('down.test', '/anything?user_key=k');
    assert.equal(response.status, 503);
    assert.equal(response.body, 'Back soon\n');
    assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(backend.calls.length, 0);
    assert.equal(gw.upstream.requests.length, 0);
  });
  it('with a condition only the matching requests are in maintenance', async () => {
    assert.equal((await gw.request('partial.test', '/v1/old?user_key=k')).status, 410);
    assert.equal((await gw.request('partial.test', '/v2/new?user_key=k')).status, 200);
  });
});
