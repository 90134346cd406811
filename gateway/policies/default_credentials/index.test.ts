import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext, type TestRequestInit } from '../../test-support/policies/request-context.js';
import { testService } from '../../test-support/policies/test-service.js';
import type { CompiledService } from '../../src/config/compiled.js';

async function run(config: Record<string, unknown>, request: TestRequestInit, service: CompiledService) {
  const policy = await buildPolicy('default_credentials', config);
  const ctx = testContext(request);
  ctx.service = service;
  await policy.rewrite!(ctx);
  return ctx.extractedCredentials;
}

describe('default_credentials policy (policies.md §5.10)', () => {
  const v1 = testService({ backendVersion: '1' });
  const v2 = testService({ backendVersion: '2' });
  const v2headers = testService({
    backendVersion: '2',
    credentials: { location: 'headers', userKey: 'user_key', appId: 'app_id', appKey: 'app_key' },
  });

  it('backend v1 without user_key: the configured user_key is used', async () => {
    assert.deepEqual(await run({ auth_type: 'user_key', user_key: 'anon' }, { path: '/' }, v1), { kind: 'user_key', user_key: 'anon' });
  });
  it('a supplied user_key (even empty) is never replaced', async () => {
    assert.equal(await run({ auth_type: 'user_key', user_key: 'anon' }, { query: 'user_key=' }, v1), undefined);
    assert.equal(await run({ auth_type: 'user_key', user_key: 'anon' }, { query: 'USER_KEY=x' }, v1), undefined);
  });
  it('a user_key in a POST form body counts as supplied', async () => {
    assert.equal(await run({ auth_type: 'user_key', user_key: 'anon' }, { method: 'POST', body: 'user_key=mine' }, v1), undefined);
  });
  it('backend v2: the pair is used only when neither app_id nor app_key was supplied', async () => {
    const config = { auth_type: 'app_id_and_app_key', app_id: 'id', app_key: 'key' };
    assert.deepEqual(await run(config, {}, v2), { kind: 'app_id', app_id: 'id', app_key: 'key' });
    assert.equal(await run(config, { query: 'app_id=mine' }, v2), undefined);
    assert.equal(await run(config, { headers: { 'app-key': 'mine' } }, v2headers), undefined);
    assert.deepEqual(await run(config, { query: 'app_id=ignored-in-headers-mode' }, v2headers), {
      kind: 'app_id',
      app_id: 'id',
      app_key: 'key',
    });
  });
  it('the code ignores auth_type: a user_key-typed config fills nothing for a v2 service', async () => {
    assert.equal(await run({ auth_type: 'user_key', user_key: 'anon' }, {}, v2), undefined);
  });
  it('oauth services: logged, no-op', async () => {
    assert.equal(await run({ auth_type: 'user_key', user_key: 'anon' }, {}, testService({ backendVersion: 'oauth' })), undefined);
  });
  it('rejects a missing auth_type, an unknown one, and a user_key type without user_key', async () => {
    await assert.rejects(buildPolicy('default_credentials', { user_key: 'x' }), /auth_type/);
    await assert.rejects(buildPolicy('default_credentials', { auth_type: 'token' }), /auth_type/);
    await assert.rejects(buildPolicy('default_credentials', { auth_type: 'user_key' }), /user_key/);
    await assert.rejects(buildPolicy('default_credentials', { auth_type: 'app_id_and_app_key', app_id: 'x' }), /app_key/);
  });
});
