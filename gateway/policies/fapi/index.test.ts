import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import type { Policy } from '../../src/chain/policy.js';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext, type TestRequestInit } from '../../test-support/policies/request-context.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const VALID = '0f8fad5b-d9cb-469f-a165-70867728950e';

async function run(policy: Policy, init: TestRequestInit = {}, jwt?: Record<string, unknown>, upstreamId?: string) {
  const ctx = testContext(init);
  ctx.jwt = jwt;
  await policy.rewrite!(ctx);
  if (!ctx.exitedWith) await policy.access!(ctx);
  if (upstreamId !== undefined) ctx.response.headers.set('x-fapi-interaction-id', upstreamId);
  await policy.header_filter!(ctx);
  return { ctx, exit: ctx.exitedWith, responseId: ctx.response.headers.get('x-fapi-interaction-id') };
}

describe('fapi policy (policies.md §5.42)', () => {
  it('echoes the client x-fapi-interaction-id, whatever its format by default', async () => {
    const policy = await buildPolicy('fapi', {});
    assert.equal((await run(policy, { headers: { 'x-fapi-interaction-id': VALID } })).responseId, VALID);
    const free = await run(policy, { headers: { 'x-fapi-interaction-id': 'not-a-uuid' } });
    assert.equal(free.exit, undefined);
    assert.equal(free.responseId, 'not-a-uuid');
  });

  it('without one, generates a UUID v4, forwards it upstream and answers with it', async () => {
    const policy = await buildPolicy('fapi', {});
    const { ctx, responseId } = await run(policy, { headers: { 'x-fapi-interaction-id': '' } });
    assert.match(responseId ?? '', UUID_V4);
    assert.equal(ctx.request.headers.get('x-fapi-interaction-id'), responseId);
    const other = await run(policy);
    assert.notEqual(other.responseId, responseId);
  });

  it('keeps the upstream value when the client sent none', async () => {
    const policy = await buildPolicy('fapi', {});
    assert.equal((await run(policy, {}, undefined, VALID)).responseId, VALID);
    // The client value wins over the upstream's.
    const other = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    assert.equal((await run(policy, { headers: { 'x-fapi-interaction-id': other } }, undefined, VALID)).responseId, other);
  });

  it('validate_x_fapi_interaction_id: a malformed id is 400 invalid_request (a fresh id in the response)', async () => {
    const policy = await buildPolicy('fapi', { validate_x_fapi_interaction_id: true });
    for (const bad of ['nope', `${VALID}x`, [VALID, VALID]]) {
      const { exit, responseId } = await run(policy, { headers: { 'x-fapi-interaction-id': bad } });
      assert.equal(exit?.status, 400, String(bad));
      assert.equal(exit.options?.body, '{"error": "invalid_request"}');
      assert.deepEqual(exit.options.headers, { 'Content-Type': 'application/json; charset=utf-8' });
      assert.match(responseId ?? '', UUID_V4);
    }
    const ok = await run(policy, { headers: { 'x-fapi-interaction-id': VALID.toUpperCase() } });
    assert.equal(ok.exit, undefined);
    assert.equal(ok.responseId, VALID.toUpperCase());
  });

  it('validate_x_fapi_customer_ip_address: one IPv4/IPv6 passes, anything else is 403 invalid_request', async () => {
    const policy = await buildPolicy('fapi', { validate_x_fapi_customer_ip_address: true });
    for (const ip of ['192.0.2.1', '2001:db8::1'])
      assert.equal((await run(policy, { headers: { 'x-fapi-customer-ip-address': ip } })).exit, undefined, ip);
    assert.equal((await run(policy)).exit, undefined);
    for (const bad of ['300.1.1.1', 'localhost', '192.0.2.1, 192.0.2.2', ['192.0.2.1', '192.0.2.2']]) {
      const { exit } = await run(policy, { headers: { 'x-fapi-customer-ip-address': bad } });
      assert.equal(exit?.status, 403, String(bad));
      assert.equal(exit.options?.body, '{"error": "invalid_request"}');
    }
    const off = await buildPolicy('fapi', {});
    assert.equal((await run(off, { headers: { 'x-fapi-customer-ip-address': 'junk' } })).exit, undefined);
  });

  it('validate_oauth2_certificate_bound_access_token: cnf x5t#S256 must match the client certificate', async () => {
    const { client, stranger } = await tlsMaterial();
    const thumbprint = createHash('sha256').update(new X509Certificate(client.cert).raw).digest('base64url');
    const policy = await buildPolicy('fapi', { validate_oauth2_certificate_bound_access_token: true });
    const bound = { sub: 'app', cnf: { 'x5t#S256': thumbprint } };
    assert.equal((await run(policy, { scheme: 'https', tlsClientCertificate: client.cert }, bound)).exit, undefined);
    for (const [jwt, pem] of [
      [bound, stranger.cert],
      [bound, undefined],
      [{ sub: 'no cnf' }, client.cert],
      [undefined, client.cert],
    ] as const) {
      const { exit, responseId } = await run(policy, pem ? { scheme: 'https', tlsClientCertificate: pem } : { scheme: 'https' }, jwt);
      assert.equal(exit?.status, 401);
      assert.equal(exit.options?.body, '{"error": "invalid_token"}');
      assert.match(responseId ?? '', UUID_V4);
    }
    const off = await buildPolicy('fapi', {});
    assert.equal((await run(off, { scheme: 'https', tlsClientCertificate: stranger.cert }, bound)).exit, undefined);
  });

  it('rejects bad configurations naming the field', async () => {
    await assert.rejects(
      buildPolicy('fapi', { validate_oauth2_certificate_bound_access_token: 'yes' }),
      /validate_oauth2_certificate_bound_access_token/,
    );
    await assert.rejects(buildPolicy('fapi', { validate_x_fapi_customer_ip_address: 1 }), /validate_x_fapi_customer_ip_address/);
    await assert.rejects(buildPolicy('fapi', { validate_x_fapi_interaction_id: null }), /validate_x_fapi_interaction_id/);
  });
});
