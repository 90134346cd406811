import assert from 'node:assert/strict';
import { Agent, request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';
import { certificateChain } from '../../test-support/policies/tls-chain.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

describe('tls_validation on the real gateway HTTPS listener', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;
  const agents: Agent[] = [];

  before(async () => {
    const tls = await tlsMaterial();
    upstream = await startUpstream();
    gateway = await startGateway(
      serviceConfiguration(
        [{ name: 'tls_validation', configuration: { whitelist: [{ pem_certificate: tls.ca.cert }] } }, { name: 'apicast' }],
        upstream.url,
      ),
      { https: true },
    );
  });
  after(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await stopAll(gateway);
    await closeAll(upstream);
  });

  async function call(client?: { cert: string; key: string }) {
    const agent = new Agent({ connect: { rejectUnauthorized: false, servername: 'localhost', ...(client ?? {}) } });
    agents.push(agent);
    const response = await request(`https://127.0.0.1:${gateway.httpsPort}/x?user_key=k`, {
      dispatcher: agent,
      headers: { host: 'localhost' },
    });
    return { status: response.statusCode, body: await response.body.text() };
  }

  it('lets a client certificate issued by the whitelisted CA reach the upstream', async () => {
    const { client } = await tlsMaterial();
    const before = upstream.received.length;
    const result = await call(client);
    assert.equal(result.status, 200, result.body);
    assert.equal(upstream.received.length, before + 1);
  });

  it('answers 400 with the verification error for an unknown issuer, without calling the upstream', async () => {
    const { stranger } = await tlsMaterial();
    const before = upstream.received.length;
    assert.deepEqual(await call(stranger), { status: 400, body: 'unable to get local issuer certificate\n' });
    assert.equal(upstream.received.length, before);
  });

  it('answers 400 when no client certificate is presented', async () => {
    assert.deepEqual(await call(), { status: 400, body: 'Invalid certificate verification context\n' });
  });
});

describe('tls_validation: intermediates the client sends (real gateway HTTPS listener)', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;
  const agents: Agent[] = [];

  before(async () => {
    const chain = await certificateChain();
    upstream = await startUpstream();
    gateway = await startGateway(
      serviceConfiguration(
        [{ name: 'tls_validation', configuration: { whitelist: [{ pem_certificate: chain.root }] } }, { name: 'apicast' }],
        upstream.url,
      ),
      { https: true },
    );
  });
  after(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await stopAll(gateway);
    await closeAll(upstream);
  });

  async function call(cert: string, key: string) {
    const agent = new Agent({ connect: { rejectUnauthorized: false, servername: 'localhost', cert, key } });
    agents.push(agent);
    const response = await request(`https://127.0.0.1:${gateway.httpsPort}/x?user_key=k`, {
      dispatcher: agent,
      headers: { host: 'localhost' },
    });
    return { status: response.statusCode, body: await response.body.text() };
  }

  it('accepts a leaf whose intermediate the client sends along, with only the root whitelisted', async () => {
    const chain = await certificateChain();
    const result = await call(`${chain.leaf}${chain.intermediate}`, chain.leafKey);
    assert.equal(result.status, 200, result.body);
  });

  it('refuses the same leaf sent alone: the intermediate is missing', async () => {
    const chain = await certificateChain();
    assert.deepEqual(await call(chain.leaf, chain.leafKey), { status: 400, body: 'unable to get local issuer certificate\n' });
  });
});
