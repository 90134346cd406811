import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { certificateChain } from '../../test-support/policies/tls-chain.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';
import { verifyClientCertificate } from './verify-client-certificate.js';

describe('tls_validation chain building with presented intermediates', () => {
  it('links a leaf to a whitelisted root through the intermediate the client sent', async () => {
    const chain = await certificateChain();
    const root = new X509Certificate(chain.root);
    assert.equal(verifyClientCertificate(chain.leaf, [root], new Date(), [chain.intermediate]), undefined);
    assert.equal(verifyClientCertificate(chain.leaf, [root], new Date(), []), 'unable to get local issuer certificate');
  });
  it('never trusts a presented intermediate by itself', async () => {
    const chain = await certificateChain();
    const unrelated = new X509Certificate((await tlsMaterial()).ca.cert);
    assert.equal(
      verifyClientCertificate(chain.leaf, [unrelated], new Date(), [chain.intermediate]),
      'unable to get local issuer certificate',
    );
  });
  it('checks the validity period of every certificate on the path', async () => {
    const chain = await certificateChain();
    const root = new X509Certificate(chain.root);
    const later = new Date(Date.now() + 10 * 24 * 3600 * 1000);
    assert.equal(verifyClientCertificate(chain.leaf, [root], later, [chain.intermediate]), 'certificate has expired');
  });
});

describe('tls_validation APICAST_HTTPS_VERIFY_DEPTH (OpenSSL verify depth)', () => {
  it('allows as many intermediates as the depth, and reports a longer chain as too long', async () => {
    const chain = await certificateChain();
    const root = new X509Certificate(chain.root);
    assert.equal(verifyClientCertificate(chain.leaf, [root], new Date(), [chain.intermediate], 1), undefined);
    assert.equal(verifyClientCertificate(chain.leaf, [root], new Date(), [chain.intermediate], 0), 'certificate chain too long');
  });
  it('needs no depth for a leaf issued directly by, or equal to, a whitelisted certificate', async () => {
    const chain = await certificateChain();
    const intermediate = new X509Certificate(chain.intermediate);
    assert.equal(verifyClientCertificate(chain.leaf, [intermediate], new Date(), [], 0), undefined);
    assert.equal(verifyClientCertificate(chain.leaf, [new X509Certificate(chain.leaf)], new Date(), [], 0), undefined);
  });
});
