import assert from 'node:assert/strict';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { stopAll } from '../../test-support/teardown.js';

describe('3scale_referrer policy through the real gateway', function () {
  this.timeout(30_000);
  let backend: FakeBackend;
  let gw: PolicyGateway;
  before(async () => {
    backend = await FakeBackend.start({ serviceTokens: { '1': 'token-1' }, applications: [{ user_key: 'k' }] });
    gw = await startPolicyGateway([{ id: 1, host: 'ref.test', chain: [{ name: '3scale_referrer' }, { name: 'apicast' }] }], {
      backendUrl: backend.url,
    });
  });
  after(async () => {
    await stopAll(gw, backend);
  });

  it('the backend authorization carries referrer=<Referer>', async () => {
    assert.equal((await gw.request('ref.test', '/?user_key=k', { headers: { Referer: 'https://shop.example.com/cart' } })).status, 200);
    assert.equal(backend.callsOf('authrep').at(-1)?.params.get('referrer'), 'https://shop.example.com/cart');
  });
  it('is part of the authorization cache key: another referrer is authorized again', async () => {
    const before = backend.callsOf('authrep').length;
    await gw.request('ref.test', '/?user_key=k', { headers: { Referer: 'https://other.example.com/' } });
    const after = backend.callsOf('authrep');
    assert.equal(after.length, before + 1);
    assert.equal(after.at(-1)?.params.get('referrer'), 'https://other.example.com/');
  });
});
