/**
 * Injection through policies: CR/LF reaching a header value through Liquid
 * (headers policy, `{{ uri }}` is the decoded path, so `%0D%0A` in the
 * request becomes a line break), and path traversal through URL rewriting
 * (url_rewriting, rewrite_url_captures). No header is injected on either
 * side, no path escapes the api_backend prefix, the gateway keeps serving.
 */
import assert from 'node:assert/strict';
import { request } from 'undici';
import { assertNoCredentialsLogged, assertServing, rawExchange, startHostile, USER_KEY, type Hostile } from './harness.js';
import { stopAll } from '../../../test-support/teardown.js';

const liquid = (header: string, value: string) => ({ op: 'set', header, value, value_type: 'liquid' });

describe('hostile HTTP: CRLF through Liquid header values', function () {
  this.timeout(60_000);
  let h: Hostile;
  before(async () => {
    h = await startHostile({
      policyChain: [
        { name: 'headers', configuration: { request: [liquid('X-From-Uri', '{{ uri }}')], response: [liquid('X-Echo-Uri', '{{ uri }}')] } },
        { name: 'apicast' },
      ],
    });
  });
  after(async () => {
    await stopAll(h);
  });

  const attacks = [
    '/x%0D%0AX-Injected:%20evil',
    '/x%0AX-Injected:%20evil',
    '/x%0DX-Injected:%20evil',
    '/x%0D%0A%0D%0AHTTP/1.1%20200%20OK%0D%0AX-Injected:%20evil',
    '/x%00X-Injected:%20evil',
  ];
  for (const path of attacks) {
    // A header value with CR, LF or NUL is refused where it is set: the request fails closed with 500
    // (a configuration that reflects client input into headers is the operator's error, as nginx answers it).
    it(`${path}: 500, nothing proxied, no header injected upstream or towards the client`, async () => {
      const before = h.upstream.requests.length;
      const answer = await rawExchange(
        h.gateway.port,
        `GET ${path}?user_key=${USER_KEY} HTTP/1.1\r\nHost: hostile.test\r\nConnection: close\r\n\r\n`,
      );
      assert.deepEqual(answer.statuses, [500], `exactly one response: ${answer.text}`);
      assert.equal(h.upstream.requests.length, before, 'nothing proxied');
      const headerBlock = answer.text.slice(0, answer.text.indexOf('\r\n\r\n'));
      assert.doesNotMatch(headerBlock, /^x-injected/im, 'no injected response header');
      for (const r of h.upstream.requests.slice(before)) {
        assert.equal(r.headers['x-injected'], undefined, 'no injected request header upstream');
        for (let i = 0; i < r.rawHeaders.length; i++) assert.doesNotMatch(r.rawHeaders[i], /[\r\n\0]/);
      }
      await assertServing(h);
    });
  }

  it('a harmless path still gets its Liquid headers both ways', async () => {
    const response = await request(`${h.gateway.url}/plain/path?user_key=${USER_KEY}`, { headers: { host: 'hostile.test' } });
    await response.body.dump();
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-echo-uri'], '/plain/path');
    assert.equal(h.upstream.last!.headers['x-from-uri'], '/plain/path');
    assertNoCredentialsLogged(h);
  });
});

describe('hostile HTTP: path traversal through URL rewriting', function () {
  this.timeout(60_000);
  let h: Hostile;
  before(async () => {
    h = await startHostile({
      apiBackendPath: '/public/',
      policyChain: [
        { name: 'url_rewriting', configuration: { commands: [{ op: 'sub', regex: '^/files/', replace: '/static/' }] } },
        { name: 'apicast' },
      ],
      extraServices: (upstream, backend) => [
        {
          id: 2,
          backend_version: '1',
          backend_authentication_type: 'service_token',
          backend_authentication_value: 'hostile-service-token-0b9f',
          proxy: {
            hosts: ['captures.test'],
            api_backend: `${upstream.url}/public/`,
            backend: { endpoint: backend.url },
            proxy_rules: [{ http_method: 'ANY', pattern: '/', metric_system_name: 'hits', delta: 1 }],
            policy_chain: [
              {
                name: 'rewrite_url_captures',
                configuration: { transformations: [{ match_rule: '/api/{a}/{b}', template: '/v2/{a}/{b}' }] },
              },
              { name: 'apicast' },
            ],
          },
        },
      ],
    });
  });
  after(async () => {
    await stopAll(h);
  });

  const attacks = [
    '/files/../../etc/passwd',
    '/files/..%2F..%2Fetc%2Fpasswd',
    '/files/%2e%2e/%2e%2e/etc/passwd',
    '/files/%2E%2E%2F%2E%2E%2Fetc/passwd',
    '/files/.%2e/.%2e/etc/passwd',
    '/files/..\\..\\etc/passwd',
    '/files//..//..//etc/passwd',
    '/files/%252e%252e/%252e%252e/etc/passwd',
  ];

  /** What the upstream received, decoded once: never a dot-dot segment, always under /public/. */
  function assertContained(url: string): void {
    const path = decodeURIComponent(url.split('?')[0]);
    assert.ok(path.startsWith('/public/'), `upstream path ${url} stays under /public/`);
    assert.ok(!path.split('/').includes('..'), `upstream path ${url} has no .. segment`);
  }

  for (const path of attacks) {
    for (const host of ['hostile.test', 'captures.test']) {
      it(`${host} ${path}: the upstream path stays under the api_backend prefix`, async () => {
        const before = h.upstream.requests.length;
        const target = host === 'captures.test' ? path.replace('/files/', '/api/') : path;
        const answer = await rawExchange(
          h.gateway.port,
          `GET ${target}?user_key=${USER_KEY} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
        );
        assert.equal(answer.statuses.length, 1, answer.text);
        for (const r of h.upstream.requests.slice(before)) assertContained(r.url);
      });
    }
  }

  it('the rewrites still work for ordinary paths', async () => {
    for (const [host, path, expected] of [
      ['hostile.test', '/files/a/b.txt', '/public/static/a/b.txt'],
      ['captures.test', '/api/x/y', '/public/v2/x/y'],
    ]) {
      const response = await request(`${h.gateway.url}${path}?user_key=${USER_KEY}`, { headers: { host: host } });
      await response.body.dump();
      assert.equal(response.statusCode, 200);
      assert.equal(h.upstream.last!.url.split('?')[0], expected);
    }
    await assertServing(h);
    assertNoCredentialsLogged(h);
  });
});
