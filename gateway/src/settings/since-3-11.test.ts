import assert from 'node:assert/strict';
import { parseSettings, SettingsError } from '../settings.js';
import { headerLimits, headOverLimit } from '../http/header-limits.js';

const rejects = (env: Record<string, string>, variable: string) => {
  assert.throws(
    () => parseSettings(env),
    (err: unknown) => err instanceof SettingsError && err.variable === variable && err.message.startsWith(`${variable}: `),
  );
};

describe('APIcast 3.11–3.16 variables (settings/since-3-11.ts)', () => {
  it('defaults: certificates requested, no extra limits', () => {
    const s = parseSettings({});
    assert.equal(s.httpsVerifyClient, 'optional_no_ca');
    assert.equal(s.proxyBufferSize, undefined);
    assert.equal(s.largeClientHeaderBuffers, undefined);
    assert.equal(s.socketKeepaliveRequests, undefined);
    assert.equal(s.batcherSharedMemorySize, undefined);
    assert.deepEqual(s.notices, []);
  });

  it('parses every variable', () => {
    const s = parseSettings({
      APICAST_HTTPS_VERIFY_CLIENT: 'off',
      APICAST_PROXY_BUFFER_SIZE: '8k',
      APICAST_LARGE_CLIENT_HEADER_BUFFERS: '4 12k',
      APICAST_CLIENT_REQUEST_HEADER_BUFFERS: '1k',
      APICAST_LUA_SOCKET_KEEPALIVE_REQUESTS: '100',
      APICAST_POLICY_BATCHER_SHARED_MEMORY_SIZE: '20m',
    });
    assert.equal(s.httpsVerifyClient, 'off');
    assert.equal(s.proxyBufferSize, 8192);
    assert.deepEqual(s.largeClientHeaderBuffers, { count: 4, size: 12 * 1024 });
    assert.equal(s.clientRequestHeaderBuffers, 1024);
    assert.equal(s.socketKeepaliveRequests, 100);
    assert.equal(s.batcherSharedMemorySize, 20 * 1024 * 1024);
    assert.match(s.notices.join('\n'), /APICAST_CLIENT_REQUEST_HEADER_BUFFERS has no effect/);
  });

  it('a bad value exits naming the variable', () => {
    rejects({ APICAST_HTTPS_VERIFY_CLIENT: 'sometimes' }, 'APICAST_HTTPS_VERIFY_CLIENT');
    rejects({ APICAST_HTTPS_VERIFY_CLIENT: 'on' }, 'APICAST_HTTPS_VERIFY_CLIENT');
    rejects({ APICAST_PROXY_BUFFER_SIZE: 'big' }, 'APICAST_PROXY_BUFFER_SIZE');
    rejects({ APICAST_PROXY_BUFFER_SIZE: '0' }, 'APICAST_PROXY_BUFFER_SIZE');
    for (const bad of ['12k', '0 8k', '4 8q', '4 100', 'four 8k'])
      rejects({ APICAST_LARGE_CLIENT_HEADER_BUFFERS: bad }, 'APICAST_LARGE_CLIENT_HEADER_BUFFERS');
    rejects({ APICAST_CLIENT_REQUEST_HEADER_BUFFERS: '-1' }, 'APICAST_CLIENT_REQUEST_HEADER_BUFFERS');
    for (const bad of ['0', '1.5', 'many'])
      rejects({ APICAST_LUA_SOCKET_KEEPALIVE_REQUESTS: bad }, 'APICAST_LUA_SOCKET_KEEPALIVE_REQUESTS');
    rejects({ APICAST_POLICY_BATCHER_SHARED_MEMORY_SIZE: '20 megs' }, 'APICAST_POLICY_BATCHER_SHARED_MEMORY_SIZE');
    rejects({ APICAST_ACCESS_LOG_BUFFER: 'lots' }, 'APICAST_ACCESS_LOG_BUFFER');
  });

  it('optional is accepted with a note', () => {
    const s = parseSettings({ APICAST_HTTPS_VERIFY_CLIENT: 'optional' });
    assert.equal(s.httpsVerifyClient, 'optional');
    assert.match(s.notices.join('\n'), /APICAST_HTTPS_VERIFY_CLIENT=optional/);
  });

  it('removed variables are accepted with one deprecation notice each', () => {
    const s = parseSettings({ APICAST_LOAD_SERVICES_WHEN_NEEDED: 'true', APICAST_MODULE: 'm', APICAST_OAUTH_TOKENS_TTL: '60' });
    assert.deepEqual(
      s.notices.map((n) => n.split(' ')[0]),
      ['APICAST_LOAD_SERVICES_WHEN_NEEDED', 'APICAST_OAUTH_TOKENS_TTL', 'APICAST_MODULE'],
    );
    for (const n of s.notices) assert.match(n, /is deprecated/);
    assert.equal(s.loadServicesWhenNeeded, true);
    assert.equal(s.oauthTokensTtl, 60);
    assert.deepEqual(s.ignoredVariables, []);
  });

  it('header limits: defaults, and nginx rules with APICAST_LARGE_CLIENT_HEADER_BUFFERS', () => {
    const defaults = headerLimits(parseSettings({}));
    const big = ['X-Big', 'a'.repeat(10_000)];
    assert.equal(headOverLimit(defaults, 100, big), undefined, 'no per-line limit by default');
    assert.equal(headOverLimit(defaults, 9000, []), 414);
    assert.equal(headOverLimit(defaults, 100, ['A', 'a'.repeat(20_000), 'B', 'b'.repeat(20_000)]), 431);
    const nginx = headerLimits(parseSettings({ APICAST_LARGE_CLIENT_HEADER_BUFFERS: '4 8k' }));
    assert.equal(headOverLimit(nginx, 100, big), 400);
    assert.equal(headOverLimit(headerLimits(parseSettings({ APICAST_LARGE_CLIENT_HEADER_BUFFERS: '4 12k' })), 100, big), undefined);
    assert.equal(headOverLimit(nginx, 8200, []), 414);
  });
});
