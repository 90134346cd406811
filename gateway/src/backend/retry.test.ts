/**
 * A backend authorization over a keep-alive connection the backend had just
 * closed: the gateway retries the (GET) call once instead of denying the
 * client. Real gateway, recording fake 3scale backend.
 */
import assert from 'node:assert/strict';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { stopAll } from '../../test-support/teardown.js';

describe('backend calls on a reset keep-alive connection (real gateway)', function () {
  this.timeout(30_000);
  let backend: FakeBackend;
  let gw: PolicyGateway;

  before(async () => {
    backend = await FakeBackend.start({
      serviceTokens: { '1': 'token-1' },
      applications: [{ user_key: 'a' }, { user_key: 'b' }, { user_key: 'c' }],
    });
    gw = await startPolicyGateway([{ id: 1, host: 'api.test', chain: [{ name: 'apicast' }] }], { backendUrl: backend.url });
  });
  after(async () => {
    await stopAll(gw, backend);
  });

  it('an authrep cut before any answer is sent again once, and the client is authorized', async () => {
    assert.equal((await gw.request('api.test', '/?user_key=a')).status, 200); // opens the keep-alive connection
    backend.cutReusedConnections = 1;
    const response = await gw.request('api.test', '/?user_key=b');
    assert.equal(response.status, 200);
    const authreps = backend.callsOf('authrep').filter((c) => c.params.get('user_key') === 'b');
    assert.deepEqual(
      authreps.map((c) => c.status),
      [0, 200],
      'cut once, then answered on a new connection',
    );
  });

  it('retries only once: a backend that keeps cutting still denies', async () => {
    assert.equal((await gw.request('api.test', '/?user_key=a')).status, 200);
    backend.down = true;
    try {
      const response = await gw.request('api.test', '/?user_key=c');
      assert.equal(response.status, 403);
      assert.ok(backend.callsOf('authrep').filter((c) => c.params.get('user_key') === 'c').length <= 2);
    } finally {
      backend.down = false;
    }
  });
});
