import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { Policy, PolicyBuildContext } from '../../src/chain/policy.js';
import type { PolicyManifest } from '../../src/chain/manifest.js';
import { parseSettings } from '../../src/settings.js';
import { noopHooks } from '../../src/telemetry/hooks.js';
import { testContext } from '../../test-support/policies/request-context.js';
import standalone from './index.js';
import { LISTENERS_EXPORT } from '../../src/http/declared-listeners.js';
import { buildChain } from '../../src/chain/build.js';
import { builtinRegistry, testRuntime } from '../../test-support/policies/build-policy.js';

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
    settings: parseSettings({}),
    log: pino({ level: 'silent' }),
    service: undefined,
    serviceId: undefined,
    policy: { name: 'standalone', version: 'builtin', manifest: {} as PolicyManifest },
    hooks: noopHooks,
    runtime: testRuntime(),
    // The gateway's own nested-chain builder over the builtin registry.
    buildChain: async (entries, field) =>
      buildChain(entries, {
        registry: await builtinRegistry(),
        settings: parseSettings({}),
        log: pino({ level: 'silent' }),
        hooks: noopHooks,
        runtime: testRuntime(),
        service: undefined,
        serviceId: undefined,
        field,
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
    assert.equal(ctx.exitedWith.options?.body, 'short and stout');
  });

  it('proxies an upstream destination to the external server', async () => {
    const ctx = await route(policy, { path: '/api/items' });
    assert.equal(ctx.proxiedTo?.origin, 'http://127.0.0.1:9999');
    assert.equal(ctx.proxiedTo.path, '/base');
  });

  it('runs the internal service chain for a service destination', async () => {
    const ctx = await route(policy, { path: '/echo', method: 'GET' });
    assert.equal(ctx.response.status, 202, 'the nested echo policy set the status');
    assert.equal(ctx.exitedWith?.status, 202);
  });

  it('answers unmatched requests with the built-in not_found echo (404)', async () => {
    const ctx = await route(policy, { path: '/echo', method: 'POST' });
    assert.equal(ctx.exitedWith?.status, 404);
    assert.equal(ctx.exitedWith.options?.body, 'POST /echo HTTP/1.1\n');
  });

  it('refuses a missing, unreadable or invalid document naming url', async () => {
    await assert.rejects(standalone({}, buildContext()), /url: no document/);
    await assert.rejects(standalone({ url: 'file:/nonexistent/standalone.yml' }, buildContext()), /url: .*ENOENT/);
    await assert.rejects(standalone({ url: 'data:application/yaml,routes: 5' }, buildContext()), /url: invalid standalone document/);
    await assert.rejects(standalone({ url: 'http://example.com/x' }, buildContext()), /must be a file: or data: URL/);
  });
});

describe('standalone document options: global, load_balancer, retries (policies.md §6.7)', () => {
  const OPTIONS_DOCUMENT = {
    global: { log_level: 'debug', upstream: { connect_timeout: 2, read_timeout: 0.5 } },
    routes: [
      { name: 'direct', match: { uri_path: '/direct' }, destination: { upstream: 'retrying' } },
      { name: 'service', match: { uri_path: '/service' }, destination: { service: 'svc' } },
      { name: 'plain', match: { uri_path: '/plain' }, destination: { upstream: 'plain' } },
      { name: 'fixed', match: { uri_path: '/fixed' }, destination: { http_response: 204 } },
    ],
    internal: [{ name: 'svc', upstream: 'retrying' }],
    external: [
      { name: 'retrying', server: 'http://127.0.0.1:9999', load_balancer: 'round_robin', retries: 3 },
      { name: 'plain', server: 'http://127.0.0.1:9998' },
    ],
  };
  const dataUrl = (document: unknown) => `data:application/json,${encodeURIComponent(JSON.stringify(document))}`;
  let policy: Policy;
  before(async () => {
    policy = await standalone({ url: dataUrl(OPTIONS_DOCUMENT) }, buildContext());
  });

  it('gives requests to an external its retries, through an upstream or a service destination', async () => {
    for (const path of ['/direct', '/service']) {
      const ctx = await route(policy, { path });
      assert.equal(ctx.proxiedTo?.origin, 'http://127.0.0.1:9999', path);
      assert.equal(ctx.shared['upstream_retries'], 3, path);
    }
    assert.equal((await route(policy, { path: '/plain' })).shared['upstream_retries'], undefined);
  });

  it('applies global.upstream timeouts unless an upstream_connection policy exports its own', async () => {
    assert.deepEqual((await route(policy, { path: '/plain' })).shared['upstream_connection_opts'], {
      connect_timeout: 2,
      read_timeout: 0.5,
    });
    const ctx = testContext({ path: '/plain' }, { upstream_connection_opts: { read_timeout: 9 } });
    await policy.rewrite!(ctx);
    await policy.content!(ctx);
    assert.deepEqual(ctx.shared['upstream_connection_opts'], { read_timeout: 9 });
    assert.equal((await route(policy, { path: '/fixed' })).shared['upstream_connection_opts'], undefined, 'nothing proxied');
  });

  it('logs the requests it routes at global.log_level (nginx names mapped to pino levels)', async () => {
    assert.equal((await route(policy, { path: '/fixed' })).log.level, 'debug');
    const quiet = await standalone({ url: dataUrl({ ...OPTIONS_DOCUMENT, global: { log_level: 'crit' } }) }, buildContext());
    assert.equal((await route(quiet, { path: '/fixed' })).log.level, 'fatal');
  });

  it('refuses an unknown load_balancer or bad global options, naming the field', async () => {
    const withBalancer = (load_balancer: string) => ({
      ...OPTIONS_DOCUMENT,
      external: [{ ...OPTIONS_DOCUMENT.external[0], load_balancer }, OPTIONS_DOCUMENT.external[1]],
    });
    await assert.rejects(standalone({ url: dataUrl(withBalancer('least_conn')) }, buildContext()), /load_balancer/);
    await assert.rejects(standalone({ url: dataUrl({ ...OPTIONS_DOCUMENT, global: { log_level: 'loud' } }) }, buildContext()), /log_level/);
    await assert.rejects(
      standalone({ url: dataUrl({ ...OPTIONS_DOCUMENT, global: { upstream: { read_timeout: -1 } } }) }, buildContext()),
      /read_timeout/,
    );
    await assert.rejects(
      standalone({ url: dataUrl({ ...OPTIONS_DOCUMENT, external: [{ ...OPTIONS_DOCUMENT.external[0], retries: -1 }] }) }, buildContext()),
      /retries/,
    );
  });
});

describe('standalone server.listen (policies.md §6.7)', () => {
  const load = (listen: unknown[]) =>
    standalone({ url: `data:application/json,${encodeURIComponent(JSON.stringify({ server: { listen }, routes: [] }))}` }, buildContext());

  it('declares its listeners to the gateway through the chain export', async () => {
    const policy = await load([
      { port: 8080, name: 'http' },
      { port: '9443', name: 'tls', tls: { certificate: '/c.pem', certificate_key: '/k.pem' }, proxy_protocol: true },
    ]);
    assert.deepEqual(policy.export?.()[LISTENERS_EXPORT], [
      { port: 8080, name: 'http', tls: undefined, proxyProtocol: false },
      { port: 9443, name: 'tls', tls: { certificateFile: '/c.pem', keyFile: '/k.pem' }, proxyProtocol: true },
    ]);
  });

  it('rejects a listen entry whose port is not a port number, naming the field', async () => {
    await assert.rejects(load([{ port: 'http' }]), /server\.listen\[0\]\.port: must be a port number/);
  });
});
