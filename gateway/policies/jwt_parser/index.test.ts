import assert from 'node:assert/strict';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { buildPolicy, buildTestChain } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { TestOidcIssuer } from '../../test-support/policies/oidc-issuer.js';
import { stopAll } from '../../test-support/teardown.js';

describe('jwt_parser policy (policies.md §5.40)', () => {
  let issuer: TestOidcIssuer;
  before(async () => {
    issuer = await TestOidcIssuer.start();
  });
  after(async () => {
    await stopAll(issuer);
  });

  it('puts the claims of a verified token in ctx.jwt', async () => {
    const policy = await buildPolicy('jwt_parser', { issuer_endpoint: issuer.url });
    const ctx = testContext({ headers: { Authorization: `Bearer ${await issuer.token({ role: 'admin' })}` } });
    await policy.rewrite!(ctx);
    assert.equal(ctx.exitedWith, undefined);
    assert.equal(ctx.jwt?.['role'], 'admin');
    assert.equal(ctx.jwt['sub'], 'user-1');
  });

  it('no token: passes unless required, then 403 with WWW-Authenticate: Bearer', async () => {
    const optional = await buildPolicy('jwt_parser', { issuer_endpoint: issuer.url });
    const free = testContext();
    await optional.rewrite!(free);
    assert.equal(free.exitedWith, undefined);
    assert.equal(free.jwt, undefined);
    const required = await buildPolicy('jwt_parser', { issuer_endpoint: issuer.url, required: true });
    const denied = testContext();
    await required.rewrite!(denied);
    assert.equal(denied.exitedWith?.status, 403);
    assert.deepEqual(denied.exitedWith.options?.headers, { 'WWW-Authenticate': 'Bearer' });
  });

  it('a token that does not verify is refused, required or not', async () => {
    const policy = await buildPolicy('jwt_parser', { issuer_endpoint: issuer.url });
    for (const token of ['not-a-jwt', await issuer.token({ iss: 'https://elsewhere' }), await issuer.token({}, { expiresIn: -10 })]) {
      const ctx = testContext({ headers: { Authorization: `Bearer ${token}` } });
      await policy.rewrite!(ctx);
      assert.equal(ctx.exitedWith?.status, 403, token);
      assert.equal(ctx.jwt, undefined);
    }
  });

  it('verifies with keys given in the configuration (oidc entry), without discovery', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ sub: 's', aud: 'a' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('https://idp.example')
      .setExpirationTime('1m')
      .sign(privateKey);
    const policy = await buildPolicy('jwt_parser', {
      oidc: {
        issuer: 'https://idp.example',
        config: { id_token_signing_alg_values_supported: ['RS256'] },
        keys: { k1: { pem: await exportSPKI(publicKey) } },
      },
    });
    const ctx = testContext({ headers: { Authorization: `Bearer ${token}` } });
    await policy.rewrite!(ctx);
    assert.equal(ctx.jwt?.['sub'], 's');
  });

  it('is ignored on services that authenticate with OIDC', async () => {
    const policy = await buildPolicy('jwt_parser', { issuer_endpoint: issuer.url, required: true });
    assert.equal(typeof policy.rewrite, 'function');
    const chain = await buildTestChain([{ name: 'jwt_parser', configuration: { issuer_endpoint: issuer.url, required: true } }], {
      id: 1,
      backend_version: 'oauth',
      proxy: {},
    });
    assert.equal(typeof chain.entries[0]?.policy.rewrite, 'undefined');
  });

  it('rejects bad configurations naming the field', async () => {
    await assert.rejects(buildPolicy('jwt_parser', {}), /configuration\.issuer_endpoint: is required/);
    await assert.rejects(
      buildPolicy('jwt_parser', { issuer_endpoint: 'not a url' }),
      /configuration\.issuer_endpoint: is not an http\(s\) URL/,
    );
    await assert.rejects(buildPolicy('jwt_parser', { issuer_endpoint: issuer.url, required: 'yes' }), /required/);
    await assert.rejects(buildPolicy('jwt_parser', { oidc: { config: {} } }), /issuer/);
  });
});
