import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { Agent, request } from 'undici';
import { startGateway, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { TestOidcIssuer } from '../../test-support/policies/oidc-issuer.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { runGatewayToExit } from '../../test-support/run-to-exit.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const VALID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('fapi on the real gateway HTTPS listener (client certificates)', function () {
  this.timeout(30_000);
  let upstream: UpstreamServer;
  let issuer: TestOidcIssuer;
  let gateway: RunningGateway;
  const agents: Agent[] = [];

  before(async () => {
    upstream = await startUpstream();
    issuer = await TestOidcIssuer.start();
    const toUpstream = { name: 'upstream', configuration: { rules: [{ regex: '/', url: upstream.url }] } };
    const service = (id: number, host: string, chain: unknown[]) => ({
      id,
      backend_version: '1',
      proxy: {
        hosts: [host],
        api_backend: upstream.url,
        proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
        policy_chain: chain,
      },
    });
    gateway = await startGateway(
      {
        services: [
          service(1, 'baseline.test', [{ name: 'fapi', configuration: { validate_x_fapi_interaction_id: true } }, toUpstream]),
          service(2, 'advanced.test', [
            { name: 'jwt_parser', configuration: { issuer_endpoint: issuer.url, required: true } },
            { name: 'fapi', configuration: { validate_oauth2_certificate_bound_access_token: true } },
            toUpstream,
          ]),
        ],
      },
      { https: true },
    );
  });
  after(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await stopAll(gateway, issuer);
    await closeAll(upstream);
  });

  async function call(host: string, headers: Record<string, string>, client?: { cert: string; key: string }) {
    const agent = new Agent({ connect: { rejectUnauthorized: false, servername: 'localhost', ...(client ?? {}) } });
    agents.push(agent);
    const response = await request(`https://127.0.0.1:${gateway.httpsPort}/x`, { dispatcher: agent, headers: { host, ...headers } });
    return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
  }

  it('echoes a valid x-fapi-interaction-id and forwards it upstream', async () => {
    const result = await call('baseline.test', { 'x-fapi-interaction-id': VALID });
    assert.equal(result.status, 200, result.body);
    assert.equal(result.headers['x-fapi-interaction-id'], VALID);
    assert.equal(upstream.received.at(-1)?.headers['x-fapi-interaction-id'], VALID);
  });

  it('answers 400 {"error": "invalid_request"} to a malformed id, without calling the upstream', async () => {
    const before = upstream.received.length;
    const result = await call('baseline.test', { 'x-fapi-interaction-id': 'not-a-uuid' });
    assert.equal(result.status, 400);
    assert.equal(result.body, '{"error": "invalid_request"}');
    assert.equal(result.headers['content-type'], 'application/json; charset=utf-8');
    assert.match(String(result.headers['x-fapi-interaction-id']), UUID_V4);
    assert.equal(upstream.received.length, before);
  });

  it('without one, generates a UUID: in the response and forwarded upstream', async () => {
    const result = await call('baseline.test', {});
    assert.equal(result.status, 200, result.body);
    const id = String(result.headers['x-fapi-interaction-id']);
    assert.match(id, UUID_V4);
    assert.equal(upstream.received.at(-1)?.headers['x-fapi-interaction-id'], id);
  });

  it('lets a token bound to the client certificate through; another, no certificate, or no cnf is 401', async () => {
    const { client, stranger } = await tlsMaterial();
    const thumbprint = createHash('sha256').update(new X509Certificate(client.cert).raw).digest('base64url');
    const bound = { Authorization: `Bearer ${await issuer.token({ cnf: { 'x5t#S256': thumbprint } })}` };
    const before = upstream.received.length;
    const ok = await call('advanced.test', bound, client);
    assert.equal(ok.status, 200, ok.body);
    assert.match(String(ok.headers['x-fapi-interaction-id']), UUID_V4);
    assert.equal(upstream.received.length, before + 1);

    const unbound = { Authorization: `Bearer ${await issuer.token({})}` };
    for (const [headers, cert] of [
      [bound, stranger],
      [bound, undefined],
      [unbound, client],
    ] as const) {
      const refused = await call('advanced.test', headers, cert);
      assert.equal(refused.status, 401);
      assert.equal(refused.body, '{"error": "invalid_token"}');
      assert.match(String(refused.headers['x-fapi-interaction-id']), UUID_V4);
    }
    assert.equal(upstream.received.length, before + 1);
  });
});

describe('fapi with a bad configuration', function () {
  this.timeout(30_000);
  it('the gateway refuses to boot and names the field', async () => {
    const { code, output } = await runGatewayToExit({
      services: [
        {
          id: 1,
          proxy: {
            hosts: ['x'],
            policy_chain: [{ name: 'fapi', configuration: { validate_oauth2_certificate_bound_access_token: 'yes' } }],
          },
        },
      ],
    });
    assert.notEqual(code, 0);
    assert.match(output, /policy_chain\[0\]\.configuration: service 1, policy fapi: .*validate_oauth2_certificate_bound_access_token/);
  });
});
