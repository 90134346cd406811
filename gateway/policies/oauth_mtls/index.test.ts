import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';

async function access(jwt: Record<string, unknown> | undefined, pem: string | undefined) {
  const policy = await buildPolicy('oauth_mtls', {});
  const ctx = testContext(pem ? { scheme: 'https', tlsClientCertificate: pem } : { scheme: 'https' });
  ctx.jwt = jwt;
  await policy.access!(ctx);
  return ctx.exitedWith;
}

describe('oauth_mtls policy (policies.md §5.21)', () => {
  it('lets a token bound to the presented certificate through (payload or parsed-JWT shape)', async () => {
    const { client } = await tlsMaterial();
    const thumbprint = createHash('sha256').update(new X509Certificate(client.cert).raw).digest('base64url');
    assert.equal(await access({ sub: 'a', cnf: { 'x5t#S256': thumbprint } }, client.cert), undefined);
    assert.equal(await access({ header: {}, payload: { cnf: { 'x5t#S256': thumbprint } } }, client.cert), undefined);
  });

  it('answers 401 invalid_token on mismatch, missing JWT or missing certificate', async () => {
    const { client, stranger } = await tlsMaterial();
    const thumbprint = createHash('sha256').update(new X509Certificate(client.cert).raw).digest('base64url');
    for (const [jwt, pem] of [
      [{ cnf: { 'x5t#S256': thumbprint } }, stranger.cert],
      [undefined, client.cert],
      [{ cnf: { 'x5t#S256': thumbprint } }, undefined],
      [{ sub: 'no cnf' }, client.cert],
    ] as const) {
      const exit = await access(jwt, pem);
      assert.equal(exit?.status, 401);
      assert.equal(exit.options?.body, '{"error": "invalid_token"}');
      assert.deepEqual(exit.options.headers, { 'Content-Type': 'application/json; charset=utf-8' });
    }
  });
});
