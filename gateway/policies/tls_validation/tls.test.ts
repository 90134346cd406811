import assert from 'node:assert/strict';
import { Agent, request } from 'undici';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { startTlsPolicyServer, type TlsPolicyServer } from '../../test-support/policies/tls-listener.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';
import { closeAll } from '../../test-support/teardown.js';

describe('tls_validation over real TLS handshakes', () => {
  let server: TlsPolicyServer;
  const agents: Agent[] = [];

  before(async () => {
    const tls = await tlsMaterial();
    const policy = await buildPolicy('tls_validation', { whitelist: [{ pem_certificate: tls.ca.cert }] });
    server = await startTlsPolicyServer(policy, tls.server);
  });
  after(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await closeAll(server);
  });

  async function call(client?: { cert: string; key: string }) {
    const { ca } = await tlsMaterial();
    const agent = new Agent({ connect: { ca: ca.cert, ...(client ?? {}) } });
    agents.push(agent);
    const response = await request(`${server.url}/`, { dispatcher: agent });
    return { status: response.statusCode, body: await response.body.text() };
  }

  it('lets a client with a certificate issued by the whitelisted CA through', async () => {
    const { client } = await tlsMaterial();
    assert.deepEqual(await call(client), { status: 200, body: 'allowed' });
  });

  it('refuses a self-signed stranger with 400 and the verification error', async () => {
    const { stranger } = await tlsMaterial();
    assert.deepEqual(await call(stranger), { status: 400, body: 'unable to get local issuer certificate\n' });
  });

  it('refuses a client without certificate', async () => {
    assert.deepEqual(await call(), { status: 400, body: 'Invalid certificate verification context\n' });
  });
});
