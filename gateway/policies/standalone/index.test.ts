import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { Policy, PolicyBuildContext } from '../../src/chain/policy.js';
import type { PolicyManifest } from '../../src/chain/manifest.js';
import { parseSettings } from '../../src/settings.js';
import { noopHooks } from '../../src/telemetry/hooks.js';
import { testContext } from '../../test-support/policies/request-context.js';
import standalone from './index.js';
import { buildChain } from '../../src/chain/build.js';
import { builtinRegistry } from '../../test-support/policies/build-policy.js';

const DOCUMENT = `
routes:
  - name: teapot
    match: { uri_path: /tea }
    destination: { http_response: { status: 418, body: "short and stout" } }
  - name: echo
    match: { uri_path: /echo, http_method: GET }
    destination: { service: echo_service }
  - name: backend
    match: { uri_path: /api }
    destination: { upstream: api }
internal:
  - name: echo_service
    policy_chain:
      - policy: echo
        configuration: { status: 202 }
external:
  - name: api
    server: http://127.0.0.1:9999/base
`;

function buildContext(): PolicyBuildContext {
  return {
    settings: parseSettings({}), log: pino({ level: 'silent' }), service: undefined, serviceId: undefined,
    policy: { name: 'standalone', version: 'builtin', manifest: {} as PolicyManifest }, hooks: noopHooks,
    // The gateway's own nested-chain builder over the builtin registry.
    buildChain: async (entries, field) => buildChain(entries, {
      registry: await builtinRegistry(), settings: parseSettings({}), log: pino({ level: 'silent' }), hooks: noopHooks,
      service: undefined, serviceId: undefined, field,
    }),
  };
}

async function route(policy: Policy, init: Parameters<typeof testContext>[0]) {
  const ctx = testContext(init);
  await policy.rewrite!(ctx);
  if (!ctx.exited) await policy.access!(ctx);
  if (!ctx.exited) await policy.content!(ctx);
  return ctx;
}

describe('standalone policy (policies.md §6.7)', () => {
  let policy: Policy;
  before(async () => {
    policy = await standalone({ url: `data:application/yaml,${encodeURIComponent(DOCUMENT)}` }, buildContext());
  });

  it('answers a fixed http_response destination', async () => {
    const ctx = await route(policy, { path: '/tea' });
    assert.equal(ctx.exitedWith?.status, 418);
    assert.equal(ctx.exitedWith?.options?.body, 'short and stout');
  });

  it('proxies an upstream destination to the external server', async () => {
    const ctx = await route(policy, { path: '/api/items' });
    assert.equal(ctx.proxiedTo?.origin, 'http://127.0.0.1:9999');
    assert.equal(ctx.proxiedTo?.path, '/base');
  });

  it('runs the internal service chain for a service destination', async () => {
    const ctx = await route(policy, { path: '/echo', method: 'GET' });
    assert.equal(ctx.response.status, 202, 'the nested echo policy set the status');
    assert.equal(ctx.exitedWith?.status, 202);
  });

  it('answers unmatched requests with the built-in not_found echo (404)', async () => {
    const ctx = await route(policy, { path: '/echo', method: 'POST' });
    assert.equal(ctx.exitedWith?.status, 404);
    assert.equal(ctx.exitedWith?.options?.body, 'POST /echo HTTP/1.1\n');
  });

  it('refuses a missing, unreadable or invalid document naming url', async () => {
    await assert.rejects(standalone({}, buildContext()), /url: no document/);
    await assert.rejects(standalone({ url: 'file:/nonexistent/standalone.yml' }, buildContext()), /url: .*ENOENT/);
    await assert.rejects(standalone({ url: 'data:application/yaml,routes: 5' }, buildContext()), /url: invalid standalone document/);
    await assert.rejects(standalone({ url: 'http://example.com/x' }, buildContext()), /must be a file: or data: URL/);
  });
});
