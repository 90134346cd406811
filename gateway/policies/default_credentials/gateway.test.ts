import assert from 'node:assert/strict';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { stopAll } from '../../test-support/teardown.js';

describe('default_credentials policy through the real gateway', function () {
  this.timeout(30_000);
  let backend: FakeBackend;
  let gw: PolicyGateway;
  before(async () => {
    backend = await FakeBackend.start({
      serviceTokens: { '1': 'token-1' },
      applications: [{ user_key: 'anonymous-key' }, { user_key: 'mine' }],
    });
    gw = await startPolicyGateway(
      [
        {
          id: 1,
          host: 'anon.test',
          chain: [
            { name: 'default_credentials', configuration: { auth_type: 'user_key', user_key: 'anonymous-key' } },
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

  it('a request without credentials is authorized with the configured ones; supplied ones are kept', async () => {
    assert.equal((await gw.request('anon.test', '/')).status, 200);
    assert.equal(backend.callsOf('authrep').at(-1)?.params.get('user_key'), 'anonymous-key');
    assert.equal((await gw.request('anon.test', '/?user_key=mine')).status, 200);
    assert.equal(backend.callsOf('authrep').at(-1)?.params.get('user_key'), 'mine');
    assert.equal((await gw.request('anon.test', '/?user_key=wrong')).status, 403, 'supplied (even invalid) credentials are never replaced');
  });
});
