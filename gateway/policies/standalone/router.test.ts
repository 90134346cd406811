import assert from 'node:assert/strict';
import { selectRoute, routeMatches } from './router.js';
import { validateDocument } from './document.js';

const request = { path: '/api/v1/items', method: 'GET', host: 'example.com', serverPort: 8080 };

describe('standalone routes and document (policies.md §6.7)', () => {
  it('matches every given condition; uri_path is a prefix at a segment boundary', () => {
    assert.equal(routeMatches({ uri_path: '/api' }, request), true);
    assert.equal(routeMatches({ uri_path: '/ap' }, request), false);
    assert.equal(routeMatches({ uri_path: '/api', http_method: 'post' }, request), false);
    assert.equal(routeMatches({ http_host: 'Example.com', server_port: 8080 }, request), true);
    assert.equal(routeMatches({ always: true }, request), true);
    assert.equal(routeMatches(undefined, request), false);
  });

  it('takes the first matching route, refined by its nested routes', () => {
    const routes = [
      { name: 'other', match: { uri_path: '/other' }, destination: { upstream: 'x' } },
      {
        name: 'api',
        match: { uri_path: '/api' },
        destination: { service: 'generic' },
        routes: [{ name: 'v1', match: { uri_path: '/api/v1' }, destination: { service: 'v1' } }],
      },
      { name: 'catch-all', match: { always: true }, destination: { http_response: 418 } },
    ];
    assert.deepEqual(selectRoute(routes, request), { route: 'api/v1', destination: { service: 'v1' } });
    assert.deepEqual(selectRoute(routes, { ...request, path: '/api/v2' }), { route: 'api', destination: { service: 'generic' } });
    assert.deepEqual(selectRoute(routes, { ...request, path: '/zzz' }), { route: 'catch-all', destination: { http_response: 418 } });
    assert.equal(selectRoute([], request), undefined);
  });

  it('refuses documents whose destinations name nothing, naming the field', () => {
    assert.throws(
      () => validateDocument({ routes: [{ match: { always: true }, destination: { service: 'ghost' } }] }),
      /document\.routes\[0\]\.destination\.service: no internal service named "ghost"/,
    );
    assert.throws(
      () => validateDocument({ routes: [{ routes: [{ destination: { upstream: 'nope' } }] }] }),
      /routes\[0\]\.routes\[0\]\.destination\.upstream/,
    );
    assert.throws(() => validateDocument({ external: [{ name: 'e', server: 'ftp://x' }] }), /external\[0\]\.server/);
    assert.throws(() => validateDocument({ internal: [{ policy_chain: [] }] }), /internal\/0.*name/);
  });
});
