/**
 * The policy chain engine over real HTTP (in-process listener, real
 * upstream): phase order, global and service chains, exits that still run
 * filters/post_action/log, content exclusivity, skip-phase, shared context and
 * exports, body transformation, request body replacement, handler failures.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseSettings } from '../settings.js';
import { PolicyChain } from '../chain/chain.js';
import { GlobalChain } from '../chain/global-chain.js';
import type { Policy, PolicyContext } from '../chain/policy.js';
import { InMemoryConfigurationStore } from '../config/store.js';
import type { CompiledService } from '../config/compiled.js';
import { silentLogger } from '../logging/logger.js';
import { UpstreamProxy } from '../upstream/proxy.js';
import { GatewayRuntime } from '../runtime/gateway-runtime.js';
import { noopHooks } from '../telemetry/hooks.js';
import { parseUpstream } from '../upstream/upstream.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { send } from '../../test-support/http-client.js';
import { createProxyServer } from './server.js';

const TEXT = 'text/plain; charset=utf-8';

function service(id: string, host: string, policies: [string, Policy][], apiBackend?: string): CompiledService {
  return {
    id,
    systemName: id,
    raw: { id },
    hosts: [host],
    backendVersion: '1',
    authenticationMethod: '1',
    backend: { endpoint: 'http://127.0.0.1:1', host: '127.0.0.1', authentication: undefined },
    credentials: { location: 'query', userKey: 'user_key', appId: 'app_id', appKey: 'app_key' },
    errors: {
      authMissing: { status: 401, body: 'Authentication parameters missing', contentType: TEXT },
      authFailed: { status: 403, body: 'Authentication failed', contentType: TEXT },
      limitsExceeded: { status: 429, body: 'Limits exceeded', contentType: TEXT },
      noMatch: { status: 404, body: 'No Mapping Rule matched', contentType: TEXT },
    },
    secretToken: undefined,
    hostnameRewrite: undefined,
    oauthLoginUrl: undefined,
    jwtClaimWithClientId: { value: 'azp', type: 'plain' },
    apiBackend: apiBackend ? parseUpstream(apiBackend) : undefined,
    rules: [],
    oidc: undefined,
    ttl: undefined,
    chain: new PolicyChain(policies.map(([name, policy]) => ({ name, version: 'builtin', policy }))),
  };
}

/** A policy that records every phase it sees into `journal` as `<name>:<phase>`. */
function recorder(name: string, journal: string[], overrides: Partial<Policy> = {}): Policy {
  const note = (phase: string) => (_ctx: PolicyContext) => {
    journal.push(`${name}:${phase}`);
  };
  return {
    rewrite: note('rewrite'),
    access: note('access'),
    content: note('content'),
    balancer: note('balancer'),
    header_filter: note('header_filter'),
    body_filter: (_ctx, _chunk, eof): undefined => {
      if (eof) journal.push(`${name}:body_filter(eof)`);
    },
    post_action: note('post_action'),
    log: note('log'),
    ...overrides,
  };
}

const proxying = (upstreamUrl: string): Policy => ({
  content(ctx) {
    ctx.proxyPass(parseUpstream(upstreamUrl));
  },
});

describe('policy chain engine (in-process proxy listener)', function () {
  this.timeout(30_000);
  let upstream: TestUpstream;
  let server: Server;
  let url: string;
  const store = new InMemoryConfigurationStore();
  const globalChain = new GlobalChain();
  const journal: string[] = [];
  let releasePostAction: (() => void) | undefined;

  before(async () => {
    upstream = await TestUpstream.start();
    globalChain.register('global_before', recorder('G1', journal), 'before');
    globalChain.register(
      'global_after',
      { ...recorder('G2', journal), export: () => ({ shared_value: 'global', only_global: 'g' }) },
      'after',
    );
    const settings = parseSettings({});
    store.store({
      raw: {},
      timestamp: undefined,
      services: [
        service('order', 'order.test', [
          ['A', recorder('A', journal)],
          ['B', recorder('B', journal, proxying(upstream.url))],
        ]),
        service('exit', 'exit.test', [
          [
            'A',
            recorder('A', journal, {
              access: (ctx) => {
                journal.push('A:access');
                ctx.exit(418, { body: 'short and stout', headers: { 'Content-Type': 'text/x-teapot' } });
              },
            }),
          ],
          ['B', recorder('B', journal)],
        ]),
        service('content', 'content.test', [
          [
            'A',
            recorder('A', journal, {
              content: (ctx) => {
                journal.push('A:content');
                ctx.exit(200, { body: 'from A' });
              },
            }),
          ],
          [
            'B',
            recorder('B', journal, {
              content: (ctx) => {
                journal.push('B:content');
                ctx.exit(200, { body: 'from B' });
              },
            }),
          ],
        ]),
        service('skip', 'skip.test', [
          [
            'A',
            recorder('A', journal, {
              rewrite: (ctx) => {
                journal.push('A:rewrite');
                ctx.skipPhase();
              },
            }),
          ],
          ['B', recorder('B', journal, proxying(upstream.url))],
        ]),
        service('shared', 'shared.test', [
          [
            'A',
            {
              export: () => ({ shared_value: 'service' }),
              rewrite(ctx) {
                ctx.shared.before = ctx.shared.mark ?? 'unset';
                ctx.shared.mark = 'set by A';
              },
              content(ctx) {
                ctx.exit(200, {
                  body: JSON.stringify({
                    value: ctx.shared.shared_value,
                    global: ctx.shared.only_global,
                    before: ctx.shared.before,
                    mark: ctx.shared.mark,
                  }),
                });
              },
            },
          ],
        ]),
        service('body', 'body.test', [
          [
            'upper',
            {
              body_filter(ctx, chunk, eof) {
                const parts = (ctx.shared.parts as Buffer[] | undefined) ?? [];
                ctx.shared.parts = parts;
                parts.push(chunk);
                return eof ? Buffer.from(Buffer.concat(parts).toString().toUpperCase()) : Buffer.alloc(0);
              },
              async rewrite(ctx) {
                const body = await ctx.request.readBody();
                ctx.request.setBody(`${body.toString()} (seen)`);
                ctx.addResponseHeader('X-Added', 'yes');
              },
            },
          ],
          ['proxy', proxying(upstream.url)],
        ]),
        service('throws', 'throws.test', [
          [
            'A',
            recorder('A', journal, {
              access: () => {
                throw new Error('boom');
              },
            }),
          ],
        ]),
        service('late', 'late.test', [
          [
            'A',
            {
              content(ctx) {
                ctx.exit(200, { body: 'done' });
              },
              async post_action() {
                await new Promise<void>((resolve) => {
                  releasePostAction = resolve;
                });
                journal.push('late:post_action');
              },
            },
          ],
        ]),
      ],
    });
    server = createProxyServer({
      settings,
      log: silentLogger(),
      configuration: store,
      defaultChain: () => new PolicyChain([]),
      globalChain,
      hostLoader: () => undefined,
      proxy: new UpstreamProxy(settings, silentLogger(), new GatewayRuntime()),
      accessLog: undefined,
      hooks: noopHooks,
    });
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', () => {
        resolve();
      }),
    );
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await upstream.stop();
  });

  beforeEach(() => {
    journal.length = 0;
  });

  /** post_action and log run after the response: wait until `log` of the global after-chain was noted. */
  async function settled(): Promise<void> {
    for (let i = 0; i < 100 && !journal.includes('G2:log'); i++) await sleep(10);
  }

  it('runs every phase in chain order, global before → service → global after', async () => {
    const response = await send(url, '/x', { host: 'order.test' });
    assert.equal(response.status, 200);
    await settled();
    assert.deepEqual(
      journal,
      [
        'G1:rewrite',
        'A:rewrite',
        'B:rewrite',
        'G2:rewrite',
        'G1:access',
        'A:access',
        'B:access',
        'G2:access',
        'G1:content',
        'A:content',
        'G1:balancer',
        'A:balancer',
        'B:balancer',
        'G2:balancer',
        'G1:header_filter',
        'A:header_filter',
        'B:header_filter',
        'G2:header_filter',
        'G1:body_filter(eof)',
        'A:body_filter(eof)',
        'B:body_filter(eof)',
        'G2:body_filter(eof)',
        'G1:post_action',
        'A:post_action',
        'B:post_action',
        'G2:post_action',
        'G1:log',
        'A:log',
        'B:log',
        'G2:log',
      ].filter((e) => e !== 'B:content'),
    );
  });

  it('an exit in access skips the rest of the request phases but still runs filters, post_action and log', async () => {
    const response = await send(url, '/', { host: 'exit.test' });
    assert.equal(response.status, 418);
    assert.equal(response.body, 'short and stout');
    assert.equal(response.headers['content-type'], 'text/x-teapot');
    await settled();
    assert.ok(!journal.includes('B:access') && !journal.includes('G2:access'), journal.join());
    assert.ok(!journal.some((e) => e.endsWith(':content')));
    for (const p of ['A', 'B', 'G1', 'G2']) {
      for (const phase of ['header_filter', 'body_filter(eof)', 'post_action', 'log'])
        assert.ok(journal.includes(`${p}:${phase}`), `${p}:${phase}`);
    }
  });

  it('lets only the first content producer answer', async () => {
    const response = await send(url, '/', { host: 'content.test' });
    assert.equal(response.body, 'from A');
    await settled();
    assert.ok(!journal.includes('B:content'));
  });

  it('skipPhase stops the current phase only', async () => {
    assert.equal((await send(url, '/', { host: 'skip.test' })).status, 200);
    await settled();
    assert.ok(!journal.includes('B:rewrite') && !journal.includes('G2:rewrite'));
    assert.ok(journal.includes('B:access'));
  });

  it('layers ctx.shared: request-local, then service exports over global exports, nothing leaks between requests', async () => {
    const first: unknown = JSON.parse((await send(url, '/', { host: 'shared.test' })).body);
    assert.deepEqual(first, { value: 'service', global: 'g', before: 'unset', mark: 'set by A' });
    const second = JSON.parse((await send(url, '/', { host: 'shared.test' })).body) as { before?: unknown };
    assert.equal(second.before, 'unset');
  });

  it('lets policies replace the request body and transform the whole response body', async () => {
    const response = await send(url, '/p', { host: 'body.test', method: 'POST', body: 'hello' });
    assert.equal(upstream.last!.body.toString(), 'hello (seen)');
    assert.equal(upstream.last!.headers['content-length'], String('hello (seen)'.length));
    assert.equal(response.headers['x-added'], 'yes');
    assert.equal(response.body, response.body.toUpperCase());
    assert.match(response.body, /"METHOD":"POST"/);
  });

  it('answers 500 when a handler throws and still runs log', async () => {
    const response = await send(url, '/', { host: 'throws.test' });
    assert.equal(response.status, 500);
    await settled();
    assert.ok(journal.includes('A:log'));
  });

  it('answers 404 with an empty body when no service matches the host', async () => {
    const response = await send(url, '/', { host: 'nobody.test' });
    assert.equal(response.status, 404);
    assert.equal(response.body, '');
  });

  it('runs post_action after the client received the whole response', async () => {
    const response = await send(url, '/', { host: 'late.test' });
    assert.equal(response.body, 'done');
    assert.ok(!journal.includes('late:post_action'), 'the response did not wait for post_action');
    for (let i = 0; i < 50 && !releasePostAction; i++) await sleep(10);
    releasePostAction!();
    for (let i = 0; i < 50 && !journal.includes('late:post_action'); i++) await sleep(10);
    assert.ok(journal.includes('late:post_action'));
  });
});
