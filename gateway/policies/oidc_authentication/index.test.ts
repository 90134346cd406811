import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { TestOidcIssuer } from '../../test-support/policies/oidc-issuer.js';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { stopAll } from '../../test-support/teardown.js';

describe('oidc_authentication policy (policies.md §6.5)', function () {
  this.timeout(30_000);
  let issuer: TestOidcIssuer;
  before(async () => {
    issuer = await TestOidcIssuer.start();
  });
  after(async () => {
    await stopAll(issuer);
  });

  async function run(config: Record<string, unknown>, authorization?: string) {
    const policy = await buildPolicy('oidc_authentication', config);
    const ctx = testContext(authorization ? { headers: { Authorization: authorization } } : {});
    await policy.rewrite!(ctx);
    await policy.access!(ctx);
    return ctx;
  }

  it('a valid token passes and ctx.jwt holds header, payload and token', async () => {
    const token = await issuer.token({ role: 'admin' });
    const ctx = await run({ issuer_endpoint: issuer.url, required: true }, `Bearer ${token}`);
    assert.equal(ctx.exitedWith, undefined);
    const jwt = ctx.jwt as { header: { alg: string }; payload: { role: string }; token: string };
    assert.equal(jwt.payload.role, 'admin');
    assert.equal(jwt.header.alg, 'RS256');
    assert.equal(jwt.token, token);
  });
  it('no token: 401 with WWW-Authenticate when required, pass otherwise', async () => {
    const required = await run({ issuer_endpoint: issuer.url, required: true });
    assert.equal(required.exitedWith?.status, 401);
    assert.deepEqual(required.exitedWith.options?.headers, { 'WWW-Authenticate': 'Bearer' });
    assert.equal((await run({ issuer_endpoint: issuer.url })).exitedWith, undefined);
  });
  it('a present token that fails verification: 403; unparsable and required: 401', async () => {
    assert.equal(
      (await run({ issuer_endpoint: issuer.url }, `Bearer ${await issuer.token({}, { expiresIn: -5 })}`)).exitedWith?.status,
      403,
    );
    assert.equal(
      (await run({ issuer_endpoint: issuer.url }, `Bearer ${await issuer.token({ iss: 'http://other' })}`)).exitedWith?.status,
      403,
    );
    assert.equal((await run({ issuer_endpoint: issuer.url, required: true }, 'Bearer garbage')).exitedWith?.status, 401);
    assert.equal((await run({ issuer_endpoint: issuer.url }, 'Bearer garbage')).exitedWith?.status, 403);
  });
  it('rejects a bad configuration naming the field', async () => {
    await assert.rejects(buildPolicy('oidc_authentication', { issuer_endpoint: 'not a url' }), /issuer_endpoint/);
    await assert.rejects(buildPolicy('oidc_authentication', { issuer_endpoint: issuer.url, required: 'yes' }), /required/);
    await assert.rejects(buildPolicy('oidc_authentication', {}), /issuer_endpoint/);
  });

  describe('through the real gateway, with jwt_claim_check on the verified claims', () => {
    let gw: PolicyGateway;
    before(async () => {
      gw = await startPolicyGateway([
        {
          id: 1,
          host: 'oidc.test',
          chain: [
            { name: 'oidc_authentication', configuration: { issuer_endpoint: issuer.url, required: true } },
            {
              name: 'jwt_claim_check',
              configuration: {
                rules: [{ resource: '/admin', operations: [{ jwt_claim: 'role', jwt_claim_type: 'plain', op: '==', value: 'admin' }] }],
              },
            },
            { name: 'apicast' },
          ],
        },
      ]);
    });
    after(async () => {
      await stopAll(gw);
    });

    it('401 without a token, 403 for a forged or non-admin token, 200 for an admin token', async () => {
      const none = await gw.request('oidc.test', '/admin?user_key=k');
      assert.equal(none.status, 401);
      assert.equal(none.headers['www-authenticate'], 'Bearer');
      const user = await gw.request('oidc.test', '/admin?user_key=k', {
        headers: { Authorization: `Bearer ${await issuer.token({ role: 'user' })}` },
      });
      assert.equal(user.status, 403);
      assert.equal(user.body, 'Request blocked due to JWT claim policy\n');
      const admin = await gw.request('oidc.test', '/admin?user_key=k', {
        headers: { Authorization: `Bearer ${await issuer.token({ role: 'admin' })}` },
      });
      assert.equal(admin.status, 200);
      const tampered = (await issuer.token({ role: 'user' })).split('.');
      tampered[1] = Buffer.from(JSON.stringify({ role: 'admin', sub: 'x', aud: 'a', iss: issuer.url, exp: 9999999999 })).toString(
        'base64url',
      );
      assert.equal(
        (await gw.request('oidc.test', '/admin?user_key=k', { headers: { Authorization: `Bearer ${tampered.join('.')}` } })).status,
        403,
      );
      assert.equal(gw.upstream.requests.length, 1);
    });
  });
});
