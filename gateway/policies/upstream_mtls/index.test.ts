import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { dataUrl, tlsMaterial } from '../../test-support/policies/tls-material.js';

async function balancer(configuration: Record<string, unknown>) {
  const policy = await buildPolicy('upstream_mtls', configuration);
  const ctx = testContext();
  await policy.balancer!(ctx);
  return ctx.balancer.clientCertificate;
}

describe('upstream_mtls policy (policies.md §5.35)', () => {
  it('sets the client certificate from files', async () => {
    const { client } = await tlsMaterial();
    const material = await balancer({
      certificate_type: 'path',
      certificate_key_type: 'path',
      certificate: client.certPath,
      certificate_key: client.keyPath,
    });
    assert.match(material?.cert ?? '', /BEGIN CERTIFICATE/);
    assert.match(material?.key ?? '', /BEGIN PRIVATE KEY/);
  });

  it('sets the client certificate from data URLs', async () => {
    const { client } = await tlsMaterial();
    const material = await balancer({
      certificate_type: 'embedded',
      certificate_key_type: 'embedded',
      certificate: dataUrl(client.cert),
      certificate_key: dataUrl(client.key),
    });
    assert.equal(material?.cert, client.cert);
  });

  it('sends no certificate when the files are unreadable or the key does not match', async () => {
    const { client, stranger } = await tlsMaterial();
    assert.equal(
      await balancer({
        certificate_type: 'path',
        certificate_key_type: 'path',
        certificate: '/nonexistent.crt',
        certificate_key: client.keyPath,
      }),
      undefined,
    );
    assert.equal(
      await balancer({
        certificate_type: 'path',
        certificate_key_type: 'path',
        certificate: client.certPath,
        certificate_key: stranger.keyPath,
      }),
      undefined,
    );
  });

  it('requires both *_type fields with their enum', async () => {
    await assert.rejects(buildPolicy('upstream_mtls', { certificate_type: 'path' }), /certificate_key_type/);
    await assert.rejects(buildPolicy('upstream_mtls', { certificate_type: 'inline', certificate_key_type: 'path' }), /certificate_type/);
  });
});
