import assert from 'node:assert/strict';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { TestOidcIssuer } from '../../test-support/policies/oidc-issuer.js';
import { stopAll } from '../../test-support/teardown.js';

describe('keycloak_role_check policy through the real gateway', function () {
  this.timeout(30_000);
  let issuer: TestOidcIssuer;
  let gw: PolicyGateway;
  before(async () => {
    issuer = await TestOidcIssuer.start();
    gw = await startPolicyGateway([
      {
        id: 1,
        host: 'roles.test',
        chain: [
          { name: 'oidc_authentication', configuration: { issuer_endpoint: issuer.url, required: true } },
          {
            name: 'keycloak_role_check',
            configuration: {
              scopes: [
                { resource: '/reports', realm_roles: [{ name: 'analyst' }], client_roles: [{ name: 'read', client: 'reports-app' }] },
              ],
            },
          },
          { name: 'apicast' },
        ],
        proxy: { error_auth_failed: 'Role missing', error_status_auth_failed: 403 },
      },
    ]);
  });
  after(async () => {
    await stopAll(gw, issuer);
  });

  it('a token with the realm and client roles passes; without them, the service auth-failed answer', async () => {
    const good = await issuer.token({ realm_access: { roles: ['analyst'] }, resource_access: { 'reports-app': { roles: ['read'] } } });
    assert.equal((await gw.request('roles.test', '/reports/q1?user_key=k', { headers: { Authorization: `Bearer ${good}` } })).status, 200);
    const weak = await issuer.token({ realm_access: { roles: ['analyst'] } });
    const denied = await gw.request('roles.test', '/reports/q1?user_key=k', { headers: { Authorization: `Bearer ${weak}` } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body, 'Role missing');
  });
});
