import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { Agent, request } from 'undici';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { startTlsPolicyServer, type TlsPolicyServer } from '../../test-support/policies/tls-listener.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';
import { closeAll } from '../../test-support/teardown.js';

describe('oauth_mtls over real TLS handshakes (RFC 8705)', () => {
  let server: TlsPolicyServer;
  const agents: Agent[] = [];

  before(async () => {
    const tls = await tlsMaterial();
    server = await startTlsPolicyServer(await buildPolicy('oauth_mtls'), tls.server);
  });
  after(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await closeAll(server);
  });

  async function call(client: { cert: string; key: string }) {
    const { ca } = await tlsMaterial();
    const agent = new Agent({ connect: { ca: ca.cert, ...client } });
    agents.push(agent);
    const response = await request(`${server.url}/`, { dispatcher: agent });
    return { status: response.statusCode, type: response.headers['content-type'], body: await response.body.text() };
  }

  it('accepts the certificate the token is bound to, and refuses another one', async () => {
    const { client, stranger } = await tlsMaterial();
    server.jwt = { sub: 'app', cnf: { 'x5t#S256': createHash('sha256').update(new X509Certificate(client.cert).raw).digest('base64url') } };
    assert.equal((await call(client)).status, 200);
    assert.deepEqual(await call(stranger), { status: 401, type: 'application/json; charset=utf-8', body: '{"error": "invalid_token"}' });
  });
});
