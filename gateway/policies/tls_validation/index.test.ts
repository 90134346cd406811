import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { certificateChain } from '../../test-support/policies/tls-chain.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';
import { parseSettings } from '../../src/settings.js';
import { verifyClientCertificate } from './verify-client-certificate.js';

async function access(whitelist: string[], clientPem: string | undefined, extra: Record<string, unknown> = {}) {
  const policy = await buildPolicy('tls_validation', { whitelist: whitelist.map((pem_certificate) => ({ pem_certificate })), ...extra });
  const ctx = testContext({ scheme: 'https', ...(clientPem ? { tlsClientCertificate: clientPem } : {}) });
  await policy.access!(ctx);
  return ctx.exitedWith;
}

describe('tls_validation policy (policies.md §5.31)', () => {
  it('accepts a client certificate issued by a whitelisted CA', async () => {
    const tls = await tlsMaterial();
    assert.equal(await access([tls.ca.cert], tls.client.cert), undefined);
  });

  it('accepts a whitelisted leaf itself (partial chain)', async () => {
    const tls = await tlsMaterial();
    assert.equal(await access([tls.stranger.cert], tls.stranger.cert), undefined);
  });

  it('denies an unknown issuer with 400 and the OpenSSL message', async () => {
    const tls = await tlsMaterial();
    const exit = await access([tls.ca.cert], tls.stranger.cert);
    assert.equal(exit?.status, 400);
    assert.equal(exit.options?.body, 'unable to get local issuer certificate\n');
  });

  it('denies a request without client certificate, with the configured error_status', async () => {
    const tls = await tlsMaterial();
    const exit = await access([tls.ca.cert], undefined, { error_status: 403 });
    assert.equal(exit?.status, 403);
    assert.equal(exit.options?.body, 'Invalid certificate verification context\n');
  });

  it('reports an expired certificate', async () => {
    const tls = await tlsMaterial();
    const later = new Date(Date.now() + 10 * 24 * 3600 * 1000);
    assert.equal(verifyClientCertificate(tls.client.cert, [new X509Certificate(tls.ca.cert)], later), 'certificate has expired');
  });

  it('rejects a whitelist entry that is not a certificate, naming it', async () => {
    await assert.rejects(access(['not a pem'], undefined), /whitelist\[0\]\.pem_certificate/);
  });

  it('enforces APICAST_HTTPS_VERIFY_DEPTH from the gateway settings on the presented chain', async () => {
    const chain = await certificateChain();
    const attempt = async (depth: string) => {
      const policy = await buildPolicy(
        'tls_validation',
        { whitelist: [{ pem_certificate: chain.root }] },
        parseSettings({ APICAST_HTTPS_VERIFY_DEPTH: depth }),
      );
      const ctx = testContext({
        scheme: 'https',
        tlsClientCertificate: chain.leaf,
        tlsClientCertificateChain: [chain.leaf, chain.intermediate],
      });
      await policy.access!(ctx);
      return ctx.exitedWith;
    };
    assert.equal(await attempt('1'), undefined);
    const tooLong = await attempt('0');
    assert.equal(tooLong?.status, 400);
    assert.equal(tooLong.options?.body, 'certificate chain too long\n');
  });
});
