import assert from 'node:assert/strict';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { TestOidcIssuer } from '../../test-support/policies/oidc-issuer.js';
import { runGatewayToExit } from '../../test-support/run-to-exit.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { stopAll } from '../../test-support/teardown.js';

describe('jwt_parser through the real gateway', function () {
  this.timeout(30_000);
  let issuer: TestOidcIssuer;
  let gw: PolicyGateway;
  let upstream: TestUpstream;
  before(async () => {
    issuer = await TestOidcIssuer.start();
    upstream = await TestUpstream.start();
    const toUpstream = (url: string) => ({ name: 'upstream', configuration: { rules: [{ regex: '/', url }] } });
    const claimCheck = {
      name: 'jwt_claim_check',
      configuration: {
        error_message: 'admins only',
        rules: [
          {
            resource: '/admin',
            methods: ['GET'],
            operations: [{ op: '==', jwt_claim: 'role', jwt_claim_type: 'plain', value: 'admin', value_type: 'plain' }],
          },
        ],
      },
    };
    const subHeader = {
      name: 'headers',
      configuration: { request: [{ op: 'set', header: 'X-Sub', value: '{{ jwt.sub }}', value_type: 'liquid' }] },
    };
    gw = await startPolicyGateway([
      {
        id: 1,
        host: 'jwt.test',
        chain: [
          { name: 'jwt_parser', configuration: { issuer_endpoint: issuer.url, required: true } },
          claimCheck,
          subHeader,
          toUpstream(upstream.url),
        ],
      },
      {
        id: 2,
        host: 'tenant.test',
        chain: [
          { name: 'jwt_parser', configuration: { issuer_endpoint: issuer.url } },
          {
            name: 'jwt_claim_check',
            configuration: {
              enable_extended_context: true,
              rules: [
                {
                  resource: '/',
                  operations: [
                    {
                      op: '==',
                      jwt_claim: '{{ jwt.tenant }}',
                      jwt_claim_type: 'liquid',
                      value: '{{ headers.x_tenant }}',
                      value_type: 'liquid',
                    },
                  ],
                },
              ],
            },
          },
          toUpstream(upstream.url),
        ],
      },
    ]);
  });
  after(async () => {
    await stopAll(gw, issuer, upstream);
  });

  it('required and no token: 403 with WWW-Authenticate: Bearer; a bad token: 403', async () => {
    const missing = await gw.request('jwt.test', '/admin');
    assert.equal(missing.status, 403);
    assert.equal(missing.headers['www-authenticate'], 'Bearer');
    assert.equal((await gw.request('jwt.test', '/admin', { headers: { Authorization: 'Bearer nope' } })).status, 403);
  });

  it('claims reach jwt_claim_check and Liquid', async () => {
    const user = await issuer.token({ role: 'user', sub: 'bob' });
    const refused = await gw.request('jwt.test', '/admin', { headers: { Authorization: `Bearer ${user}` } });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /admins only/);
    const admin = await issuer.token({ role: 'admin', sub: 'alice' });
    const passed = await gw.request('jwt.test', '/admin', { headers: { Authorization: `Bearer ${admin}` } });
    assert.equal(passed.status, 200);
    assert.equal(upstream.last?.headers['x-sub'], 'alice');
    assert.equal(upstream.requests.length, 1);
  });

  it('jwt_claim_check with enable_extended_context compares a claim with a request header', async () => {
    const token = await issuer.token({ tenant: 'acme' });
    const headers = (tenant: string) => ({ Authorization: `Bearer ${token}`, 'X-Tenant': tenant });
    assert.equal((await gw.request('tenant.test', '/', { headers: headers('acme') })).status, 200);
    assert.equal((await gw.request('tenant.test', '/', { headers: headers('globex') })).status, 403);
  });
});

describe('jwt_parser with a bad configuration', function () {
  this.timeout(30_000);
  it('the gateway refuses to boot and names issuer_endpoint', async () => {
    const { code, output } = await runGatewayToExit({
      services: [{ id: 1, proxy: { hosts: ['x'], policy_chain: [{ name: 'jwt_parser', configuration: { issuer_endpoint: 'ftp:/x' } }] } }],
    });
    assert.notEqual(code, 0);
    assert.match(output, /policy_chain\[0\]\.configuration: service 1, policy jwt_parser: configuration\.issuer_endpoint/);
  });
});
