/**
 * An admin portal with a self-signed certificate (a test install): a CR is refused the connection, and named
 * why, until it carries the insecure_skip_verify annotation; then it syncs. Real TLS on loopback.
 */
import assert from 'node:assert/strict';
import { selfSignedCertificate } from '../../gateway/test-support/tls-certificates.js';
import { capabilitiesSuite, condition, cr, eventually, getCr, waitFor } from './fixture.js';
import { apiVersionOf } from '../../operator/src/capabilities/api/kinds.js';
import { editObject } from '../operator/fixture.js';

describe('capabilities: a self-signed admin portal and the insecure_skip_verify annotation', function () {
  this.timeout(120_000);
  const suite = capabilitiesSuite('caps-tls', { THREESCALE_API_TIMEOUT: '3s' }, async () => {
    const certificate = await selfSignedCertificate('127.0.0.1');
    return { tls: { cert: certificate.cert, key: certificate.key } };
  });

  it('fails on the certificate, naming it, then syncs once the CR says insecure_skip_verify: "true"', async () => {
    const { admin, namespace, fake } = suite;
    assert.match(fake.url, /^https:/);
    await admin.create(cr('Backend', namespace, 'self-signed', { name: 'Self signed', privateBaseURL: 'https://b.example.com' }));
    let failed: ReturnType<typeof condition>;
    await eventually(
      'Failed on the certificate',
      async () => {
        failed = condition(await getCr(admin, 'Backend', namespace, 'self-signed'), 'Failed');
        return failed?.status === 'True';
      },
      30_000,
      200,
    );
    assert.equal(failed!.reason, 'ThreescaleUnreachable');
    assert.match(failed!.message ?? '', /SELF_SIGNED|self.signed|certificate/i);
    assert.equal(
      fake.tenant().backends.find((b) => b.name === 'Self signed'),
      undefined,
      'nothing reached 3scale',
    );

    await editObject(admin, apiVersionOf('Backend'), 'Backend', namespace, 'self-signed', (b) => {
      b.metadata.annotations = { ...b.metadata.annotations, insecure_skip_verify: 'true' };
    });
    await waitFor(admin, 'Backend', namespace, 'self-signed', 'Synced', 60_000);
    assert.ok(fake.tenant().backends.find((b) => b.name === 'Self signed'));
  });
});
