import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { providerAccess, providerSecretName } from './provider-account.js';

describe('capabilities: provider account credentials', () => {
  it('uses providerAccountRef, else threescale-provider-account', () => {
    assert.equal(providerSecretName({ providerAccountRef: { name: 'mine' } }), 'mine');
    assert.equal(providerSecretName({}), 'threescale-provider-account');
  });

  it('reads adminURL and token; the insecure_skip_verify annotation turns off certificate checks', () => {
    const result = providerAccess('s', { adminURL: 'https://acme-admin.example.com/', token: 'tok' }, { insecure_skip_verify: 'true' });
    assert.deepEqual(result, { ok: true, access: { adminUrl: 'https://acme-admin.example.com', token: 'tok', insecureSkipVerify: true } });
  });

  it('names the Secret and what is wrong, never the token', () => {
    const cases: [Record<string, string> | undefined, RegExp][] = [
      [undefined, /Secret s does not exist/],
      [{ adminURL: 'https://a.example.com' }, /has no token/],
      [{ token: 'secret-token-value' }, /has no adminURL/],
      [{ adminURL: 'not a url', token: 'secret-token-value' }, /adminURL is not a URL/],
      [{ adminURL: 'https://user:pw@a.example.com', token: 'secret-token-value' }, /must not carry credentials/],
      [{ adminURL: 'ftp://a.example.com', token: 'secret-token-value' }, /http or https/],
    ];
    for (const [data, reason] of cases) {
      const result = providerAccess('s', data, undefined);
      assert.equal(result.ok, false);
      assert.match(result.error.reason, reason);
      assert.equal(result.error.path, 'spec.providerAccountRef');
      assert.ok(!result.error.reason.includes('secret-token-value'));
    }
  });
});
