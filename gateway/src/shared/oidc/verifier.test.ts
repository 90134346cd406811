import assert from 'node:assert/strict';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { OidcVerifier, clientIdOf, OidcConfigurationError } from './index.js';
import { TestOidcIssuer } from '../../../test-support/policies/oidc-issuer.js';
import { stopAll } from '../../../test-support/teardown.js';

describe('shared/oidc verifier (gateway.md §4.3.1)', () => {
  let issuer: TestOidcIssuer;
  before(async () => {
    issuer = await TestOidcIssuer.start();
  });
  after(async () => {
    await stopAll(issuer);
  });

  it('discovers the issuer and verifies a valid token (claims, ttl)', async () => {
    const { verifier } = await OidcVerifier.discover(issuer.url);
    const result = await verifier.verify(await issuer.token({ azp: 'client-7' }));
    assert.equal(result.ok, true);
    assert.equal(result.claims.sub, 'user-1');
    assert.equal(clientIdOf(result.claims), 'client-7');
    assert.ok(result.ttl > 50 && result.ttl <= 60);
  });
  it('refuses expired, wrong-issuer, missing-aud, not-yet-valid, non-Bearer and malformed tokens', async () => {
    const { verifier } = await OidcVerifier.discover(issuer.url);
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string][] = [
      [await issuer.token({}, { expiresIn: -10 }), 'expired'],
      [await issuer.token({ iss: 'http://evil' }), 'iss'],
      [await issuer.token({ nbf: now + 300 }), 'nbf'],
      [await issuer.token({ typ: 'ID' }), 'typ'],
      ['not.a.jwt', 'malformed'],
      ['garbage', 'malformed'],
    ];
    for (const [token, why] of cases) {
      const result = await verifier.verify(token);
      assert.equal(result.ok, false, why);
      assert.match(
        result.reason,
        new RegExp(why === 'expired' ? 'expired' : why === 'malformed' ? 'malformed|Invalid' : why),
        `${why}: ${result.reason}`,
      );
    }
  });
  it('refuses a token signed by an unknown key', async () => {
    const { verifier } = await OidcVerifier.discover(issuer.url);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ sub: 'x', aud: 'a' })
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setIssuer(issuer.url)
      .setExpirationTime('1m')
      .sign(privateKey);
    const result = await verifier.verify(forged);
    assert.equal(result.ok, false);
  });
  it('follows key rotation: a token with a new kid triggers a JWKS refetch', async () => {
    const { verifier } = await OidcVerifier.discover(issuer.url);
    assert.equal((await verifier.verify(await issuer.token())).ok, true);
    await new Promise((r) => setTimeout(r, 5100));
    const kid = await issuer.rotate(true);
    const result = await verifier.verify(await issuer.token({}, { kid }));
    assert.equal(result.ok, true, result.ok ? '' : result.reason);
  }).timeout(15_000);
  it('works from a precomputed configuration entry (PEM keys) and rejects an entry without algorithms', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const entry = {
      issuer: 'https://idp',
      config: { id_token_signing_alg_values_supported: ['RS256'] },
      keys: { k1: { pem: await exportSPKI(publicKey) } },
    };
    const verifier = await OidcVerifier.fromEntry(entry);
    const token = await new SignJWT({ sub: 's', aud: 'a' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('https://idp')
      .setExpirationTime('1m')
      .sign(privateKey);
    assert.equal((await verifier.verify(token)).ok, true);
    await assert.rejects(OidcVerifier.fromEntry({ issuer: 'x', config: {} }), OidcConfigurationError);
  });

  // Every JWT the gateway verifies (the apicast OIDC flow, jwt_parser, keycloak_role_check, jwt_claim_check) goes
  // through this verifier, so these cover ES256/ES384/ES512 wherever a JWT is verified (APIcast 3.13+).
  for (const alg of ['ES256', 'ES384', 'ES512'] as const) {
    it(`verifies ${alg} tokens from a PEM configuration entry and from a discovered JWKS, and refuses ${alg} when not advertised`, async () => {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      const sign = (kid: string, iss: string) =>
        new SignJWT({ sub: 's', aud: 'a' }).setProtectedHeader({ alg, kid }).setIssuer(iss).setExpirationTime('1m').sign(privateKey);
      const entry = {
        issuer: 'https://idp',
        config: { id_token_signing_alg_values_supported: [alg] },
        keys: { ec: { pem: await exportSPKI(publicKey) } },
      };
      assert.equal((await (await OidcVerifier.fromEntry(entry)).verify(await sign('ec', 'https://idp'))).ok, true, 'PEM entry');
      const rsOnly = await OidcVerifier.fromEntry({ ...entry, config: { id_token_signing_alg_values_supported: ['RS256'] } });
      const refused = await rsOnly.verify(await sign('ec', 'https://idp'));
      assert.equal(refused.ok, false);
      assert.match(refused.reason, /algorithm not allowed/);

      const ecIssuer = await TestOidcIssuer.start();
      try {
        await ecIssuer.publishKey('ec-1', publicKey, alg);
        const { verifier } = await OidcVerifier.discover(ecIssuer.url);
        assert.equal((await verifier.verify(await sign('ec-1', ecIssuer.url))).ok, true, 'discovered JWKS');
      } finally {
        await ecIssuer.stop();
      }
    });
  }
});
