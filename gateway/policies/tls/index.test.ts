import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { dataUrl, tlsMaterial } from '../../test-support/policies/tls-material.js';
import { TLS_CERTIFICATE } from './index.js';

async function chosen(configuration: Record<string, unknown>) {
  const policy = await buildPolicy('tls', configuration);
  const ctx = testContext({ scheme: 'https' });
  await policy.ssl_certificate!(ctx);
  return ctx.shared[TLS_CERTIFICATE] as { cert: string; key: string } | undefined;
}

describe('tls policy (policies.md §5.30)', () => {
  it('serves the first usable entry, skipping unreadable ones', async () => {
    const { server, stranger } = await tlsMaterial();
    const material = await chosen({
      certificates: [
        { certificate_path: '/missing.crt', certificate_key_path: '/missing.key' },
        { certificate: dataUrl(server.cert), certificate_key: dataUrl(server.key) },
        { certificate_path: stranger.certPath, certificate_key_path: stranger.keyPath },
      ],
    });
    assert.equal(material?.cert, server.cert);
  });

  it('leaves the listener default when no entry is usable', async () => {
    const { server, stranger } = await tlsMaterial();
    assert.equal(
      await chosen({ certificates: [{ certificate_path: server.certPath, certificate_key_path: stranger.keyPath }] }),
      undefined,
    );
    assert.equal(await chosen({}), undefined);
  });

  it('rejects an entry with neither complete form and a non data-url embedded value', async () => {
    await assert.rejects(buildPolicy('tls', { certificates: [{ certificate_path: '/a.crt' }] }), /certificates\/0/);
    await assert.rejects(buildPolicy('tls', { certificates: [{ certificate: 'plain text', certificate_key: 'x' }] }), /certificates\/0/);
  });
});
