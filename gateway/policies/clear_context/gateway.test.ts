import assert from 'node:assert/strict';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { runGatewayToExit } from '../../test-support/run-to-exit.js';
import { stopAll } from '../../test-support/teardown.js';

describe('clear_context policy through the real gateway', function () {
  this.timeout(30_000);
  let backend: FakeBackend;
  let gw: PolicyGateway;
  const anonymous = { name: 'default_credentials', configuration: { auth_type: 'user_key', user_key: 'anonymous-key' } };
  before(async () => {
    backend = await FakeBackend.start({ serviceTokens: { '1': 'token-1', '2': 'token-2' }, applications: [{ user_key: 'anonymous-key' }] });
    gw = await startPolicyGateway(
      [
        { id: 1, host: 'kept.test', chain: [anonymous, { name: 'apicast' }] },
        { id: 2, host: 'cleared.test', chain: [anonymous, { name: 'clear_context' }, { name: 'apicast' }] },
      ],
      { backendUrl: backend.url },
    );
  });
  after(async () => {
    await stopAll(gw, backend);
  });

  it('what a policy before it left in the context (default credentials) is gone for the policies after it', async () => {
    assert.equal((await gw.request('kept.test', '/')).status, 200);
    const cleared = await gw.request('cleared.test', '/');
    assert.equal(cleared.status, 401, 'no credentials left: apicast answers its missing-credentials error');
  });

  it('a configuration that is not an object is refused, naming the policy configuration', async () => {
    const { code, output } = await runGatewayToExit({
      services: [{ id: 1, proxy: { hosts: ['x'], policy_chain: [{ name: 'clear_context', configuration: 'all' }] } }],
    });
    assert.notEqual(code, 0);
    assert.match(output, /policy_chain.0.configuration: must be object/);
  });
});
