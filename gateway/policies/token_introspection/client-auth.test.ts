import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { TestOidcIssuer } from '../../test-support/policies/oidc-issuer.js';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { stopAll } from '../../test-support/teardown.js';

describe('token_introspection: client_secret_jwt and private_key_jwt (RFC 7523)', function () {
  this.timeout(30_000);
  let issuer: TestOidcIssuer;
  let dir: string;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ecPem = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const assertionCalls = () => issuer.calls.filter((c) => c.path === '/introspect').map((c) => new URLSearchParams(c.body));

  before(async () => {
    issuer = await TestOidcIssuer.start();
    issuer.introspection.set('good', { active: true });
    dir = await mkdtemp(join(tmpdir(), 'introspection-keys-'));
    await writeFile(join(dir, 'rsa.pem'), rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  });
  after(async () => {
    await stopAll(issuer);
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    issuer.calls.length = 0;
    issuer.clientPublicKey = undefined;
  });

  const base = () => ({
    client_id: issuer.client.id,
    introspection_url: `http://127.0.0.1:${issuer.port}/introspect`,
    client_jwt_assertion_audience: issuer.assertionAudience,
  });

  async function through(configuration: Record<string, unknown>, token = 'good'): Promise<number> {
    const gw: PolicyGateway = await startPolicyGateway([
      { id: 1, host: 'api.test', chain: [{ name: 'apicast' }, { name: 'token_introspection', configuration }] },
    ]);
    try {
      return (await gw.request('api.test', '/?user_key=k', { headers: { Authorization: `Bearer ${token}` } })).status;
    } finally {
      await gw.stop();
    }
  }

  it('client_secret_jwt: an HS256 assertion with iss = sub = client_id, aud, jti and exp, no Basic header', async () => {
    assert.equal(
      await through({
        ...base(),
        auth_type: 'client_secret_jwt',
        client_secret: issuer.client.secret,
        client_jwt_assertion_expires_in: 30,
      }),
      200,
    );
    const form = assertionCalls()[0];
    const assertion = form.get('client_assertion')!;
    assert.equal(decodeProtectedHeader(assertion).alg, 'HS256');
    const claims = decodeJwt(assertion);
    assert.equal(claims.iss, 'gateway');
    assert.equal(claims.sub, 'gateway');
    assert.equal(claims.aud, issuer.assertionAudience);
    assert.equal(claims.exp! - claims.iat!, 30);
    assert.equal(issuer.calls[0].headers.authorization, undefined);
    assert.equal(
      await through({ ...base(), auth_type: 'client_secret_jwt', client_secret: 'wrong-secret' }),
      403,
      'the issuer refuses an assertion signed with another secret',
    );
  });

  it('private_key_jwt: RS256 from a PEM file, ES256 from an embedded data URL; each call a new jti', async () => {
    issuer.clientPublicKey = rsa.publicKey;
    const fromFile = { ...base(), auth_type: 'private_key_jwt', certificate_type: 'path', certificate: join(dir, 'rsa.pem') };
    assert.equal(await through(fromFile), 200);
    assert.equal(decodeProtectedHeader(assertionCalls()[0].get('client_assertion')!).alg, 'RS256');

    issuer.clientPublicKey = ec.publicKey;
    const embedded = {
      ...base(),
      auth_type: 'private_key_jwt',
      certificate_type: 'embedded',
      certificate: `data:application/x-pem-file;name=ec.pem;base64,${Buffer.from(ecPem).toString('base64')}`,
    };
    assert.equal(await through(embedded), 200);
    const jtis = assertionCalls().map((f) => decodeJwt(f.get('client_assertion')!).jti);
    assert.equal(new Set(jtis).size, jtis.length, 'assertions are never reused');
    assert.equal(decodeProtectedHeader(assertionCalls()[1].get('client_assertion')!).alg, 'ES256');
    issuer.clientPublicKey = rsa.publicKey;
    assert.equal(await through(embedded), 403, 'signed by a key the issuer does not know');
  });

  it('bad configurations name the field', async () => {
    const policy = (configuration: Record<string, unknown>) => buildPolicy('token_introspection', configuration);
    await assert.rejects(
      policy({ ...base(), auth_type: 'private_key_jwt', certificate: join(dir, 'missing.pem') }),
      /certificate: cannot read .*ENOENT/,
    );
    await assert.rejects(
      policy({ ...base(), auth_type: 'private_key_jwt', certificate_type: 'embedded', certificate: 'not-a-data-url' }),
      /certificate: embedded certificate must be a base64 data URL/,
    );
    await assert.rejects(
      policy({ ...base(), auth_type: 'private_key_jwt', certificate_type: 'embedded', certificate: 'data:x;base64,bm90IGEga2V5' }),
      /certificate: no PEM private key found/,
    );
    await assert.rejects(policy({ ...base(), auth_type: 'client_secret_jwt' }), /client_secret/);
    await assert.rejects(
      policy({ auth_type: 'private_key_jwt', client_id: 'x', introspection_url: 'http://x/', certificate: 'x' }),
      /client_jwt_assertion_audience/,
    );
  });
});
